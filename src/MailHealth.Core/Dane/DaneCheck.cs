using System.Net;
using DnsClient;
using DnsClient.Protocol;
using MailHealth.Checks;
using MailHealth.Dns;
using MailHealth.Smtp;
using MailHealth.Targets;

namespace MailHealth.Dane;

/// <summary>
/// The <c>dane:HOST</c> checks (RFC 7672): for each mail host, the TLSA records at
/// <c>_25._tcp.HOST</c> matched against the certificate chain the SMTP probe of port 25 saw.
/// A host without TLSA records gets a result without findings (DANE is optional).
/// </summary>
public sealed class DaneCheck : ICheck
{
    public const string KindName = CheckKinds.Dane;

    public string Kind => KindName;

    public async Task<IReadOnlyList<CheckResult>> RunAsync(CheckContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(context);
        var hosts = (await context.MailHosts.ConfigureAwait(false)).Hosts
            .Select(h => h.Name.TrimEnd('.'))
            // An address literal has no TLSA base domain.
            .Where(name => !IPAddress.TryParse(name, out _))
            .Distinct(StringComparer.OrdinalIgnoreCase)
            .ToList();
        var results = await Task.WhenAll(hosts.Select(host => CheckHostAsync(context, host, cancellationToken))).ConfigureAwait(false);
        return results;
    }

    private static async Task<CheckResult> CheckHostAsync(CheckContext context, string host, CancellationToken cancellationToken)
    {
        var result = context.Result($"{KindName}:{host}", KindName, host);
        // RFC 7672 section 2.2.3 (and RFC 6698 section 3): the TLSA base domain is the MX host name.
        var tlsaName = $"_25._tcp.{host}";
        var answer = await context.Dns.QueryAsync(tlsaName, QueryType.TLSA, cancellationToken).ConfigureAwait(false);
        result.Evidence("query", answer.Describe());
        // RFC 7672 section 2.2: a DANE sender defers mail when a secure TLSA lookup fails.
        // A TLSA record whose data is too short to parse makes the whole answer malformed: say so.
        var hint = answer.Outcome == DnsOutcome.Failure ? " (a malformed answer, such as a TLSA record too short to parse, ends here too)" : "";
        if (result.AddLookupFailure(answer, "the TLSA lookup failed", detail: hint))
        {
            return result.Build();
        }

        if (answer.IsEmpty)
        {
            result.Evidence("tlsa", Array.Empty<string>());
            return result.Build();
        }

        var associations = answer.Of<TlsaRecord>().Select(TlsaAssociation.From).ToList();
        result.Evidence("tlsa", associations.Select(a => a.ToString()).ToList());
        result.Evidence("dnssecAuthenticated", answer.Authenticated);
        result.Metric("tlsaCount", associations.Count);
        if (!answer.Authenticated)
        {
            // RFC 7672 section 2.2: only DNSSEC-validated ("secure") TLSA records are used.
            result.Add(DaneFindingCodes.NotDnssec, Severity.Info,
                $"the TLSA answer for {tlsaName} is not DNSSEC-authenticated (no AD bit from the resolver): DANE senders ignore these records unless the zone is signed and validated (see the dnssec check)");
        }

        var usable = new List<TlsaAssociation>();
        var pkix = new List<string>();
        var invalid = new List<string>();
        foreach (var association in associations)
        {
            switch (association.Problem())
            {
                case null:
                    usable.Add(association);
                    break;
                case { PkixUsage: true } problem:
                    pkix.Add($"{association}: {problem.Reason}");
                    break;
                case { } problem:
                    invalid.Add($"{association}: {problem.Reason}");
                    break;
            }
        }

        if (pkix.Count > 0)
        {
            result.Add(DaneFindingCodes.TlsaUsageUnusable, Severity.Info,
                $"{pkix.Count} TLSA record(s) at {tlsaName} use PKIX usages, which SMTP clients ignore: publish DANE-EE(3) or DANE-TA(2)",
                new Dictionary<string, object?> { ["records"] = pkix });
        }

        if (invalid.Count > 0)
        {
            result.Add(DaneFindingCodes.TlsaInvalid, Severity.Warning,
                $"{invalid.Count} TLSA record(s) at {tlsaName} cannot be used: {string.Join("; ", invalid)}",
                new Dictionary<string, object?> { ["records"] = invalid });
        }

        if (usable.Count == 0)
        {
            return result.Build();
        }

        await MatchProbesAsync(context, result, host, usable).ConfigureAwait(false);
        return result.Build();
    }

    private static async Task MatchProbesAsync(CheckContext context, CheckResultBuilder result, string host, IReadOnlyList<TlsaAssociation> usable)
    {
        var probes = (await context.SmtpProbes.ConfigureAwait(false))
            .Where(p => p.Port.Port == 25 && string.Equals(p.Host.Name.TrimEnd('.'), host, StringComparison.OrdinalIgnoreCase))
            .ToList();
        if (probes.Count == 0)
        {
            result.MarkError($"port 25 of {host} was not probed, so its certificate could not be matched against the TLSA records");
            return;
        }

        var withTls = probes.Where(p => p.TlsEstablished && p.CertificateChain.Count > 0).ToList();
        if (withTls.Count == 0)
        {
            if (probes.Any(p => p.ReachedServer))
            {
                result.Add(DaneFindingCodes.TlsUnavailable, Severity.Critical,
                    $"{host} publishes usable TLSA records but its port 25 completed no TLS handshake: DANE senders will not deliver to it",
                    new Dictionary<string, object?> { ["addresses"] = Addresses(probes) });
            }
            else
            {
                result.MarkError($"port 25 of {host} could not be reached or its probe did not finish, so its certificate could not be matched against the TLSA records");
            }

            return;
        }

        var matched = new List<IReadOnlyDictionary<string, object?>>();
        foreach (var probe in withTls)
        {
            // RFC 7672 section 3.2.2: the next-hop domain is a reference identifier too.
            var match = TlsaMatcher.FindMatch(usable, probe.CertificateChain, host, out var reasons, Canonical.Name(context.Target.Domain));
            var address = probe.Address?.ToString();
            matched.Add(new Dictionary<string, object?> { ["address"] = address, ["record"] = match?.ToString() });
            if (match is null)
            {
                result.Add(DaneFindingCodes.TlsaMismatch, Severity.Critical,
                    $"no TLSA record at _25._tcp.{host} matches the certificate chain {host}{(address is null ? "" : $" ({address})")} presents on port 25: DANE senders will not deliver to it",
                    new Dictionary<string, object?> { ["address"] = address, ["reasons"] = reasons, ["chainLength"] = probe.CertificateChain.Count });
            }
        }

        result.Evidence("matches", matched);
    }

    private static List<string?> Addresses(IEnumerable<SmtpProbeOutcome> probes) => [.. probes.Select(p => p.Address?.ToString())];
}
