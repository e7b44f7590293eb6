using System.Net;
using System.Net.Sockets;
using MailHealth.Checks;
using MailHealth.Dns;

namespace MailHealth.Blocklists;

/// <summary>
/// The <c>dnsbl</c> checks (RFC 5782): each zone tested once (<c>dnsbl-zone:ZONE</c>), then every
/// sending IP asked of the usable IP zones (<c>dnsbl:IP</c>) and the target's domain of the usable
/// domain zones (<c>dnsbl:DOMAIN</c>). Questions run in parallel within the run's concurrency bound.
/// </summary>
public sealed class BlocklistCheck(BlocklistCatalog catalog) : ICheck
{
    public const string KindName = "dnsbl";

    public BlocklistCheck()
        : this(BlocklistCatalog.Default)
    {
    }

    public string Kind => KindName;

    public async Task<IReadOnlyList<CheckResult>> RunAsync(CheckContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var addresses = await AddressesAsync(context).ConfigureAwait(false);

        // An IP list is of no use without an address to ask about (no hosts, no sending IPs).
        var zones = catalog.Resolve(context.Target.DnsblZones).Where(z => addresses.Count > 0 || z.Kind != BlocklistKind.Ip).ToList();
        if (zones.Count == 0)
        {
            return [];
        }

        var needsIpv6 = addresses.Any(a => a.AddressFamily == AddressFamily.InterNetworkV6);
        var healths = await Task.WhenAll(zones.Select(zone =>
            ZoneHealthProbe.ProbeAsync(context.Dns, context.Concurrency, zone, needsIpv6, cancellationToken))).ConfigureAwait(false);

        var results = healths.Select(h => ZoneResult(context, h)).ToList();
        var ipZones = healths.Where(h => h.Kind != BlocklistKind.Domain).ToList();
        if (ipZones.Count > 0)
        {
            results.AddRange(await Task.WhenAll(addresses.Select(a => AddressResultAsync(context, a, ipZones, cancellationToken))).ConfigureAwait(false));
        }

        var domainZones = healths.Where(h => h.Kind == BlocklistKind.Domain).ToList();
        if (domainZones.Count > 0)
        {
            results.Add(await DomainResultAsync(context, domainZones, cancellationToken).ConfigureAwait(false));
        }

        return results;
    }

    /// <summary>The target's sending IPs, else its mail hosts' addresses; each once, IPv4-mapped ones as IPv4.</summary>
    private static async Task<IReadOnlyList<IPAddress>> AddressesAsync(CheckContext context)
    {
        IEnumerable<IPAddress> addresses = context.Target.SendingIps.Count > 0
            ? context.Target.SendingIps
            : (await context.MailHosts.ConfigureAwait(false)).Hosts.SelectMany(h => h.Addresses);
        return [.. addresses.Select(Canonical.Address).Distinct()];
    }

    private static CheckResult ZoneResult(CheckContext context, ZoneHealth health)
    {
        var zone = health.Zone;
        var result = context.Result($"dnsbl-zone:{zone.Name}", KindName, zone.Name)
            .Evidence("zone", zone.Name)
            .Evidence("kind", health.Kind?.ToString().ToLowerInvariant())
            .Evidence("tests", health.Tests.Select(t => t.Evidence).ToList());
        if (zone.Description.Length > 0)
        {
            result.Evidence("description", zone.Description);
        }

        // An unknown zone that passed neither test is reported once, by its IPv4 test.
        var problems = health.Kind is null ? health.Tests.Take(1) : health.Tests.Where(t => t.State != ZoneState.Usable);
        foreach (var test in problems)
        {
            var code = test.State == ZoneState.Refused ? BlocklistFindingCodes.QueryRefused : BlocklistFindingCodes.ZoneUnresponsive;
            result.Add(code, Severity.Info, test.Detail, new Dictionary<string, object?>
            {
                ["zone"] = zone.Name,
                ["family"] = test.Family.ToString().ToLowerInvariant(),
                ["query"] = test.Listed.Query,
                ["codes"] = test.Listed.Codes.Select(c => c.Code).ToList(),
            });
            result.MarkError($"{zone.Name} cannot be used for {test.Family.ToString().ToLowerInvariant()} questions this run: {test.Detail}");
        }

        return result.Build();
    }

    private static async Task<CheckResult> AddressResultAsync(
        CheckContext context, IPAddress address, IReadOnlyList<ZoneHealth> zones, CancellationToken cancellationToken)
    {
        var family = address.AddressFamily == AddressFamily.InterNetwork ? ZoneTestFamily.Ipv4 : ZoneTestFamily.Ipv6;
        var subject = address.ToString();
        var result = context.Result($"dnsbl:{subject}", KindName, subject);
        return await AskAllAsync(context, result, zones, family, zone => BlocklistQuery.ForAddress(address, zone.Name), cancellationToken).ConfigureAwait(false);
    }

    private static async Task<CheckResult> DomainResultAsync(
        CheckContext context, IReadOnlyList<ZoneHealth> zones, CancellationToken cancellationToken)
    {
        var domain = context.Target.Domain;
        var result = context.Result($"dnsbl:{domain}", KindName, domain);
        return await AskAllAsync(context, result, zones, ZoneTestFamily.Domain, zone => BlocklistQuery.ForDomain(domain, zone.Name), cancellationToken).ConfigureAwait(false);
    }

    private static async Task<CheckResult> AskAllAsync(
        CheckContext context,
        CheckResultBuilder result,
        IReadOnlyList<ZoneHealth> zones,
        ZoneTestFamily family,
        Func<BlocklistZone, string> query,
        CancellationToken cancellationToken)
    {
        var usable = zones.Where(z => z.IsUsable(family)).Select(z => z.Zone).ToList();
        var skipped = zones.Where(z => !z.IsUsable(family)).Select(z => z.Zone.Name).ToList();
        result.Evidence("zonesSkipped", skipped);
        if (usable.Count == 0)
        {
            return result.MarkError("no blocklist zone could be asked (see the dnsbl-zone checks)").Build();
        }

        var answers = await Task.WhenAll(usable.Select(zone =>
            BlocklistLookup.AskAsync(context.Dns, context.Concurrency, zone, query(zone), withReason: true, cancellationToken))).ConfigureAwait(false);
        var failed = 0;
        foreach (var answer in answers)
        {
            switch (answer.Verdict)
            {
                case BlocklistVerdict.Listed:
                    result.Add(BlocklistFindingCodes.Listed, Severity.Critical,
                        $"{result.Subject} is listed in {answer.Zone.Name}: {string.Join("; ", answer.Listings.Select(c => c.Meaning))}"
                            + (answer.Reason is null ? "" : $" ({answer.Reason})"),
                        Evidence(answer));
                    break;
                case BlocklistVerdict.Refused:
                    result.Add(BlocklistFindingCodes.QueryRefused, Severity.Info,
                        $"{answer.Zone.Name} refused the question about {result.Subject}: {string.Join("; ", answer.Errors.Select(c => $"{c.Code} {c.Meaning}"))}",
                        Evidence(answer));
                    break;
                case BlocklistVerdict.Failed:
                    failed++;
                    result.Add(BlocklistFindingCodes.ZoneUnresponsive, Severity.Info,
                        $"{answer.Zone.Name} did not answer about {result.Subject}: {answer.Dns.Describe()}",
                        Evidence(answer), subject: answer.Zone.Name);
                    break;
            }
        }

        result.Evidence("zonesAsked", usable.Select(z => z.Name).ToList());
        result.Metric("zonesAsked", usable.Count);
        result.Metric("listings", answers.Count(a => a.Verdict == BlocklistVerdict.Listed));
        if (failed == answers.Length)
        {
            result.MarkError("no blocklist zone answered");
        }

        return result.Build();
    }

    private static Dictionary<string, object?> Evidence(BlocklistAnswer answer) => new()
    {
        ["zone"] = answer.Zone.Name,
        ["query"] = answer.Query,
        ["returnCodes"] = answer.Codes.Select(c => c.Code).ToList(),
        ["meanings"] = answer.Codes.Select(c => c.Meaning).ToList(),
        ["reason"] = answer.Reason,
        ["dns"] = answer.Dns.Describe(),
    };
}
