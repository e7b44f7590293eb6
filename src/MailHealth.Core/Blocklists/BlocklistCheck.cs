using System.Net;
using System.Net.Sockets;
using MailHealth.Checks;
using MailHealth.Dns;
using MailHealth.Targets;

namespace MailHealth.Blocklists;

/// <summary>
/// The <c>dnsbl</c> checks (RFC 5782): each zone tested once (<c>dnsbl-zone:ZONE</c>), then every
/// sending IP asked of the usable IP zones (<c>dnsbl:IP</c>) and the target's domain of the usable
/// domain zones (<c>dnsbl:DOMAIN</c>). Questions run in parallel within the run's concurrency bound.
/// </summary>
public sealed class BlocklistCheck(BlocklistCatalog catalog) : ICheck
{
    public const string KindName = CheckKinds.Dnsbl;

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
        // Each zone on its own: tested, then asked at once, so a slow or dead zone holds up no other.
        var runs = await Task.WhenAll(zones.Select(zone => RunZoneAsync(context, zone, addresses, needsIpv6, cancellationToken))).ConfigureAwait(false);

        var results = runs.Select(r => ZoneResult(context, r.Health)).ToList();
        var ipZones = runs.Where(r => r.Health.Kind != BlocklistKind.Domain).ToList();
        if (ipZones.Count > 0)
        {
            results.AddRange(addresses.Select(a => AddressResult(context, a, ipZones)));
        }

        var domainZones = runs.Where(r => r.Health.Kind == BlocklistKind.Domain).ToList();
        if (domainZones.Count > 0)
        {
            results.Add(DomainResult(context, domainZones));
        }

        return results;
    }

    /// <summary>One zone's part of the run: its test, then every question it may be asked.</summary>
    private static async Task<ZoneRun> RunZoneAsync(
        CheckContext context, BlocklistZone zone, IReadOnlyList<IPAddress> addresses, bool needsIpv6, CancellationToken cancellationToken)
    {
        var health = await ZoneHealthProbe.ProbeAsync(context.Dns, context.DnsConcurrency, zone, needsIpv6, context.Time, cancellationToken).ConfigureAwait(false);
        var questions = new List<(string Subject, string Query)>();
        if (health.Kind == BlocklistKind.Domain)
        {
            if (health.IsUsable(ZoneTestFamily.Domain))
            {
                questions.Add((context.Target.Domain, BlocklistQuery.ForDomain(context.Target.Domain, zone.Name)));
            }
        }
        else
        {
            questions.AddRange(addresses.Where(a => health.IsUsable(FamilyOf(a))).Select(a => (a.ToString(), BlocklistQuery.ForAddress(a, zone.Name))));
        }

        var answers = await Task.WhenAll(questions.Select(q =>
            BlocklistLookup.AskAsync(context.Dns, context.DnsConcurrency, zone, q.Query, withReason: true, cancellationToken))).ConfigureAwait(false);
        return new ZoneRun(health, questions.Select(q => q.Subject).Zip(answers).ToDictionary(p => p.First, p => p.Second, StringComparer.Ordinal));
    }

    private static ZoneTestFamily FamilyOf(IPAddress address) =>
        address.AddressFamily == AddressFamily.InterNetwork ? ZoneTestFamily.Ipv4 : ZoneTestFamily.Ipv6;

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

    private static CheckResult AddressResult(CheckContext context, IPAddress address, IReadOnlyList<ZoneRun> zones)
    {
        var subject = address.ToString();
        return Report(context.Result($"dnsbl:{subject}", KindName, subject), zones, FamilyOf(address));
    }

    private static CheckResult DomainResult(CheckContext context, IReadOnlyList<ZoneRun> zones)
    {
        var domain = context.Target.Domain;
        return Report(context.Result($"dnsbl:{domain}", KindName, domain), zones, ZoneTestFamily.Domain);
    }

    private static CheckResult Report(CheckResultBuilder result, IReadOnlyList<ZoneRun> zones, ZoneTestFamily family)
    {
        var usable = zones.Where(z => z.Health.IsUsable(family)).ToList();
        var skipped = zones.Where(z => !z.Health.IsUsable(family)).Select(z => z.Health.Zone.Name).ToList();
        result.Evidence("zonesSkipped", skipped);
        if (usable.Count == 0)
        {
            return result.MarkError("no blocklist zone could be asked (see the dnsbl-zone checks)").Build();
        }

        var answers = usable.Select(z => z.Answers[result.Subject]).ToList();
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

        result.Evidence("zonesAsked", usable.Select(z => z.Health.Zone.Name).ToList());
        result.Metric("zonesAsked", usable.Count);
        result.Metric("listings", answers.Count(a => a.Verdict == BlocklistVerdict.Listed));
        if (failed == answers.Count)
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

    /// <summary>One zone's test and its answers, by subject (an address or the domain).</summary>
    private sealed record ZoneRun(ZoneHealth Health, IReadOnlyDictionary<string, BlocklistAnswer> Answers);
}
