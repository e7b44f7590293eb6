using System.Net;
using MailHealth.Dns;

namespace MailHealth.Blocklists;

/// <summary>
/// Tests a zone with its RFC 5782 section 5 entries: an IPv4 list must list 127.0.0.2 and must not
/// list 127.0.0.1; an IPv6 list ::FFFF:7F00:2 and not ::FFFF:7F00:1; a domain list "test" and not
/// "invalid". A zone that fails this is not asked about anything else this run.
/// </summary>
public static class ZoneHealthProbe
{
    private static readonly IPAddress V4Listed = IPAddress.Parse("127.0.0.2");
    private static readonly IPAddress V4Unlisted = IPAddress.Parse("127.0.0.1");
    private static readonly IPAddress V6Listed = IPAddress.Parse("::ffff:7f00:2");
    private static readonly IPAddress V6Unlisted = IPAddress.Parse("::ffff:7f00:1");

    /// <summary>
    /// The most a zone's test may take, whatever the resolver's own deadline: a live blocklist
    /// answers its test entries at once, and a dead one must not hold up the run.
    /// </summary>
    public static readonly TimeSpan Deadline = TimeSpan.FromSeconds(1.5);

    /// <summary>
    /// Tests the zone for the families a run needs, within <see cref="Deadline"/> by
    /// <paramref name="time"/>; a zone of unknown kind is tested both ways to learn it.
    /// </summary>
    public static async Task<ZoneHealth> ProbeAsync(
        DnsResolver dns, SemaphoreSlim bound, BlocklistZone zone, bool needsIpv6, TimeProvider time, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(zone);
        using var deadline = new CancellationTokenSource(Deadline, time);
        using var probe = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        return await ProbeAsync(new Probe(dns, bound, zone, probe.Token, cancellationToken), needsIpv6).ConfigureAwait(false);
    }

    private static async Task<ZoneHealth> ProbeAsync(Probe probe, bool needsIpv6)
    {
        var zone = probe.Zone;
        switch (zone.Kind)
        {
            case BlocklistKind.Domain:
                return new ZoneHealth(zone, BlocklistKind.Domain, [await TestAsync(probe, ZoneTestFamily.Domain).ConfigureAwait(false)]);
            case BlocklistKind.Ip:
                return new ZoneHealth(zone, BlocklistKind.Ip, await IpTestsAsync(probe, needsIpv6).ConfigureAwait(false));
        }

        // Unknown zone: its test entries say what it lists. IPv4 wins when both answer.
        var v4 = TestAsync(probe, ZoneTestFamily.Ipv4);
        var domain = TestAsync(probe, ZoneTestFamily.Domain);
        await Task.WhenAll(v4, domain).ConfigureAwait(false);
        var v4Test = await v4.ConfigureAwait(false);
        var domainTest = await domain.ConfigureAwait(false);
        if (v4Test.State == ZoneState.Usable)
        {
            var tests = new List<ZoneTest> { v4Test };
            if (needsIpv6)
            {
                tests.Add(await TestAsync(probe, ZoneTestFamily.Ipv6).ConfigureAwait(false));
            }

            return new ZoneHealth(zone, BlocklistKind.Ip, tests);
        }

        if (domainTest.State == ZoneState.Usable)
        {
            return new ZoneHealth(zone, BlocklistKind.Domain, [domainTest]);
        }

        // Neither: the IPv4 test's failure is what to report (a refusal is more telling than silence).
        return new ZoneHealth(zone, null, [v4Test, domainTest]);
    }

    private static async Task<IReadOnlyList<ZoneTest>> IpTestsAsync(Probe probe, bool needsIpv6)
    {
        var v4 = TestAsync(probe, ZoneTestFamily.Ipv4);
        if (!needsIpv6)
        {
            return [await v4.ConfigureAwait(false)];
        }

        var v6 = TestAsync(probe, ZoneTestFamily.Ipv6);
        return await Task.WhenAll(v4, v6).ConfigureAwait(false);
    }

    private static async Task<ZoneTest> TestAsync(Probe probe, ZoneTestFamily family)
    {
        var zone = probe.Zone;
        var (listedName, unlistedName, entry) = family switch
        {
            ZoneTestFamily.Ipv4 => (BlocklistQuery.ForAddress(V4Listed, zone.Name), BlocklistQuery.ForAddress(V4Unlisted, zone.Name), "127.0.0.2"),
            ZoneTestFamily.Ipv6 => (BlocklistQuery.ForAddress(V6Listed, zone.Name), BlocklistQuery.ForAddress(V6Unlisted, zone.Name), "::FFFF:7F00:2"),
            _ => (BlocklistQuery.ForDomain("test", zone.Name), BlocklistQuery.ForDomain("invalid", zone.Name), "test"),
        };
        var listedTask = probe.AskAsync(listedName);
        var unlistedTask = probe.AskAsync(unlistedName);
        await Task.WhenAll(listedTask, unlistedTask).ConfigureAwait(false);
        var listed = await listedTask.ConfigureAwait(false);
        var unlisted = await unlistedTask.ConfigureAwait(false);

        var (state, detail) = listed.Verdict switch
        {
            BlocklistVerdict.Failed => (ZoneState.Unresponsive, $"{zone.Name} did not answer: {listed.Dns.Describe()}"),
            BlocklistVerdict.Refused => (ZoneState.Refused,
                $"{zone.Name} refuses our questions: its test entry {entry} came back as {string.Join(", ", listed.Errors.Select(c => $"{c.Code} ({c.Meaning})"))}"),
            BlocklistVerdict.NotListed => (ZoneState.Unresponsive,
                $"{zone.Name} does not list its test entry {entry} (RFC 5782 section 5): its answers cannot be trusted"),
            _ when unlisted.Verdict == BlocklistVerdict.Listed => (ZoneState.Unresponsive,
                $"{zone.Name} lists {unlistedName}, which RFC 5782 section 5 says must never be listed: it answers everything"),
            _ => (ZoneState.Usable, $"test entry {entry} listed"),
        };
        return new ZoneTest(family, state, detail, listed, unlisted);
    }

    /// <summary>One zone's test: where to ask, and the deadline that ends it.</summary>
    private sealed class Probe(DnsResolver dns, SemaphoreSlim bound, BlocklistZone zone, CancellationToken within, CancellationToken run)
    {
        public BlocklistZone Zone { get; } = zone;

        public async Task<BlocklistAnswer> AskAsync(string query)
        {
            try
            {
                return await BlocklistLookup.AskAsync(dns, bound, Zone, query, withReason: false, within).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (!run.IsCancellationRequested)
            {
                var timedOut = new DnsAnswer(query, "A", DnsOutcome.Timeout, [], false, $"no answer within the {Deadline.TotalSeconds:0.#} s health-probe deadline");
                return new BlocklistAnswer(Zone, query, BlocklistVerdict.Failed, [], null, timedOut);
            }
        }
    }
}
