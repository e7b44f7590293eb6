using System.Net;
using DnsClient;
using DnsClient.Protocol;
using MailHealth.Checks;
using MailHealth.Dns;
using MailHealth.Targets;

namespace MailHealth.Mx;

/// <summary>
/// Finds where a domain's mail goes (RFC 5321 section 5.1): its MX records, the implicit MX when
/// there are none, or the null MX of RFC 7505; and says what is wrong with them.
/// </summary>
public static class MxLookup
{
    public const string Kind = CheckKinds.Mx;

    public static async Task<MxResult> LookupAsync(CheckContext context, CancellationToken cancellationToken)
    {
        var domain = context.Target.Domain;
        var result = context.Result(Kind, Kind, domain);
        var answer = await context.Dns.QueryAsync(domain, QueryType.MX, cancellationToken).ConfigureAwait(false);
        result.Evidence("query", answer.Describe());

        if (result.AddLookupFailure(answer, "the MX lookup failed"))
        {
            return new MxResult(result.Build(), MailHostSet.None);
        }

        if (answer.Outcome == DnsOutcome.NxDomain)
        {
            result.Add(MxFindingCodes.Missing, Severity.Critical, $"{domain} does not exist in DNS (NXDOMAIN): it cannot receive mail");
            return new MxResult(result.Build(), MailHostSet.None);
        }

        if (answer.Outcome == DnsOutcome.NoData)
        {
            return await ImplicitMxAsync(context, result, cancellationToken).ConfigureAwait(false);
        }

        var records = answer.Of<MxRecord>()
            .Select(r => (Preference: (int)r.Preference, Exchange: r.Exchange.Value.TrimEnd('.')))
            .OrderBy(r => r.Preference)
            .ThenBy(r => r.Exchange, StringComparer.OrdinalIgnoreCase)
            .ToList();

        // RFC 7505 section 3: a single MX with an empty exchange ("." ) says "no mail here".
        var nulls = records.Where(r => r.Exchange.Length == 0).ToList();
        if (nulls.Count > 0 && nulls.Count == records.Count)
        {
            result.Evidence("records", records.Select(r => new { r.Preference, Exchange = "." }).ToList());
            result.Add(MxFindingCodes.Null, Severity.Info, $"{domain} publishes a null MX (RFC 7505): it accepts no mail");
            return new MxResult(result.Build(), MailHostSet.None);
        }

        if (nulls.Count > 0)
        {
            // RFC 7505 section 3: a null MX must be the only MX record; senders ignore it otherwise.
            result.Add(MxFindingCodes.NullMixed, Severity.Warning, $"{domain} mixes a null MX with other MX records; the null MX is ignored");
        }

        var hosts = new List<MailHost>();
        var evidence = new List<object>();
        var lookups = records.Where(r => r.Exchange.Length > 0)
            .Select(r => InspectExchangeAsync(context, result, r.Preference, r.Exchange, cancellationToken))
            .ToList();
        var unknown = new List<DnsAnswer>();
        foreach (var (host, recordEvidence, failed) in await Task.WhenAll(lookups).ConfigureAwait(false))
        {
            evidence.Add(recordEvidence);
            if (host is not null)
            {
                hosts.Add(host);
            }

            if (failed is not null)
            {
                unknown.Add(failed);
            }
        }

        // Issue 10: a host whose addresses cannot be read leaves the others' verdict standing; only
        // when no host could be read is nothing known about where the mail goes.
        var allUnknown = unknown.Count == lookups.Count;
        foreach (var failed in unknown)
        {
            _ = allUnknown
                ? result.AddLookupFailure(failed, $"could not resolve MX host {failed.Name}", failed.Name)
                : result.AddIncompleteLookup(failed, $"the addresses of MX host {failed.Name} are unknown; the other MX hosts were checked", failed.Name);
        }

        result.Evidence("records", evidence);
        result.Metric("mxCount", records.Count);
        return new MxResult(result.Build(), new MailHostSet(hosts, MailHostSource.Mx));
    }

    private static async Task<(MailHost? Host, object Evidence, DnsAnswer? Failed)> InspectExchangeAsync(
        CheckContext context, CheckResultBuilder result, int preference, string exchange, CancellationToken cancellationToken)
    {
        // RFC 5321 section 5.1 (and RFC 7505 section 3): an MX names a host, never an address.
        if (IPAddress.TryParse(exchange, out var literal))
        {
            result.Add(MxFindingCodes.IsIpLiteral, Severity.Critical,
                $"MX {exchange} is an IP address, not a host name; senders look it up as a name and fail",
                new Dictionary<string, object?> { ["exchange"] = exchange }, subject: exchange);
            return (null, new { preference, exchange, addresses = Array.Empty<string>(), problem = "ip-literal" }, null);
        }

        // An alias shows in the address answers (the CNAME the server followed): no CNAME question.
        var resolved = await context.Dns.GetAddressesAsync(exchange, cancellationToken).ConfigureAwait(false);
        var alias = resolved.CanonicalName;
        if (alias is not null)
        {
            // RFC 5321 section 5.1 / RFC 2181 section 10.3: the MX target must not be an alias.
            result.Add(MxFindingCodes.IsCname, Severity.Warning,
                $"MX {exchange} is a CNAME to {alias}; MX targets must be host names with their own A/AAAA",
                new Dictionary<string, object?> { ["exchange"] = exchange, ["cname"] = alias }, subject: exchange);
        }

        // Both families unanswered: the addresses are unknown, not absent (the caller reports it).
        var unknown = resolved.Addresses.Count == 0 && resolved.Failed ? resolved.FailedAnswer : null;
        if (resolved.Addresses.Count == 0)
        {
            if (unknown is null)
            {
                result.Add(MxFindingCodes.HostUnresolvable, Severity.Critical,
                    $"MX host {exchange} has no A or AAAA record: mail to it cannot be delivered",
                    new Dictionary<string, object?> { ["a"] = resolved.V4.Describe(), ["aaaa"] = resolved.V6.Describe() }, subject: exchange);
            }
        }

        JudgeAddresses(context, result, $"MX host {exchange}", exchange, resolved.Addresses);
        var host = new MailHost(exchange, preference, resolved.Addresses);
        return (host, new { preference, exchange, cname = alias, addresses = resolved.Addresses.Select(a => a.ToString()).ToList() }, unknown);
    }

    /// <summary>
    /// MX_PRIVATE_ADDRESS for the addresses of a mail host that the address policy refuses: such an
    /// address is no internet address (a real misconfiguration, often an internal address published
    /// by mistake), so senders on the internet cannot deliver to it and the probe does not connect
    /// to it. Critical when the host has no other address, as MX_HOST_UNRESOLVABLE; a warning when
    /// senders can fall back to its other addresses. An operator who monitors internal mail allows
    /// its network (MailHealth:Checks:AllowedNetworks), and then the host is probed and not flagged.
    /// </summary>
    private static void JudgeAddresses(CheckContext context, CheckResultBuilder result, string what, string host, IReadOnlyList<IPAddress> addresses)
    {
        var refused = addresses.Select(context.Options.AddressPolicy.Judge).Where(v => !v.Permitted).ToList();
        if (refused.Count > 0)
        {
            result.AddNotOnTheInternet(MxFindingCodes.PrivateAddress, what, host, refused, refused.Count == addresses.Count,
                "mail from the internet cannot be delivered to it", host);
        }
    }

    private static async Task<MxResult> ImplicitMxAsync(CheckContext context, CheckResultBuilder result, CancellationToken cancellationToken)
    {
        var domain = context.Target.Domain;
        var resolved = await context.Dns.GetAddressesAsync(domain, cancellationToken).ConfigureAwait(false);
        if (resolved.Addresses.Count > 0)
        {
            // RFC 5321 section 5.1: with no MX, the domain's own address is the implicit MX.
            result.Evidence("implicitMx", true);
            result.Evidence("addresses", resolved.Addresses.Select(a => a.ToString()).ToList());
            JudgeAddresses(context, result, $"{domain}, the implicit MX (no MX record),", domain, resolved.Addresses);
            var host = new MailHost(domain, null, resolved.Addresses);
            return new MxResult(result.Build(), new MailHostSet([host], MailHostSource.ImplicitMx));
        }

        if (resolved.Failed && resolved.FailedAnswer is { } failed && result.AddLookupFailure(failed, "no MX, and the address lookup failed"))
        {
            return new MxResult(result.Build(), MailHostSet.None);
        }

        result.Add(MxFindingCodes.Missing, Severity.Critical, $"{domain} has no MX record and no A/AAAA fallback: it cannot receive mail");
        return new MxResult(result.Build(), MailHostSet.None);
    }
}
