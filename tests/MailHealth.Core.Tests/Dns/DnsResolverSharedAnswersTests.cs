using System.Net;
using DnsClient;
using DnsClient.Protocol;
using MailHealth.Dns;
using MailHealth.Testing;
using MailHealth.Testing.Dns;
using Microsoft.Extensions.Time.Testing;

namespace MailHealth.Core.Tests.Dns;

/// <summary>
/// UseCache: answers shared by the runs of one process, each for its TTL (a negative one for its
/// SOA's, RFC 2308), never past MaximumCacheAge, and an authoritative server's never past
/// MaximumAuthoritativeAge (the monitor's half interval); failures never kept.
/// </summary>
public sealed class DnsResolverSharedAnswersTests
{
    private static readonly DateTimeOffset Start = TestClock.Start;

    [Fact]
    public async Task UseCache_AnAnswer_IsGivenToTheNextRuns_UntilItsTtlEnds()
    {
        var zone = new ScriptedZone().Set("mx.provider.test", ScriptedRecord.A("192.0.2.1"));
        await using var server = ScriptedDnsServer.Start(zone);
        var time = new FakeTimeProvider(Start);
        var shared = Shared(server.EndPoint, time, TimeSpan.FromMinutes(10));

        var first = await shared.ForRun().QueryAsync("mx.provider.test", QueryType.A);
        zone.Set("mx.provider.test", ScriptedRecord.A("192.0.2.2"));
        time.Advance(TimeSpan.FromSeconds(59));
        var second = await shared.ForRun().QueryAsync("MX.provider.test.", QueryType.A);

        Assert.Same(first, second);
        Assert.Equal(1, server.QueriesFor("mx.provider.test", 1));
        Assert.Equal(1, shared.QuestionsSent);

        // The scripted server's TTL is 60 s.
        time.Advance(TimeSpan.FromSeconds(2));
        var third = await shared.ForRun().QueryAsync("mx.provider.test", QueryType.A);

        Assert.Equal(2, server.QueriesFor("mx.provider.test", 1));
        Assert.Equal("192.0.2.2", third.Of<ARecord>().Single().Address.ToString());
    }

    [Fact]
    public async Task UseCache_ACachingResolversAnswer_LivesForItsTtl_PastTheAuthoritativeBound()
    {
        var zone = new ScriptedZone().Set("example.test", ScriptedRecord.Txt("v=spf1 -all"));
        await using var resolver = ScriptedDnsServer.Start(zone);
        resolver.AsResolver = true;
        resolver.TimeToLive = 3600;
        var time = new FakeTimeProvider(Start);
        var shared = Shared(resolver.EndPoint, time, TimeSpan.FromHours(1), authoritativeAge: TimeSpan.FromMinutes(2.5));

        var first = await shared.ForRun().QueryAsync("example.test", QueryType.TXT);
        time.Advance(TimeSpan.FromMinutes(59));
        var later = await shared.ForRun().QueryAsync("example.test", QueryType.TXT);
        time.Advance(TimeSpan.FromMinutes(2));
        await shared.ForRun().QueryAsync("example.test", QueryType.TXT);

        // Five-minute cycles: eleven of twelve read the answer the resolver itself would give from its cache.
        Assert.Same(first, later);
        Assert.Equal(2, resolver.QueriesFor("example.test", 16));
    }

    [Fact]
    public async Task UseCache_AnAuthoritativeServersAnswer_IsReadAgainEachCycle()
    {
        var zone = new ScriptedZone().Set("example.test", ScriptedRecord.Txt("v=spf1 -all"));
        await using var authoritative = ScriptedDnsServer.Start(zone);
        authoritative.TimeToLive = 3600;
        var time = new FakeTimeProvider(Start);
        var shared = Shared(authoritative.EndPoint, time, TimeSpan.FromHours(1), authoritativeAge: TimeSpan.FromMinutes(2.5));

        var first = await shared.ForRun().QueryAsync("example.test", QueryType.TXT);
        var sameCycle = await shared.ForRun().QueryAsync("example.test", QueryType.TXT);
        zone.Set("example.test", ScriptedRecord.Txt("v=spf1 mx -all"));
        time.Advance(TimeSpan.FromMinutes(5));
        var nextCycle = await shared.ForRun().QueryAsync("example.test", QueryType.TXT);

        Assert.Same(first, sameCycle);
        Assert.Equal(["v=spf1 mx -all"], nextCycle.TxtRecords());
        Assert.Equal(2, authoritative.QueriesFor("example.test", 16));
    }

    [Fact]
    public async Task TheRealResolver_IsTakenForACache_AndKnotForAnAuthority()
    {
        // unbound answers with RA and without AA, Knot with AA and without RA (eng/peers).
        var viaUnbound = await RecursivePeer.Resolver().QueryAsync("demo.test", QueryType.MX);
        var viaKnot = await Peers.Resolver().QueryAsync("demo.test", QueryType.MX);
        var negativeViaUnbound = await RecursivePeer.Resolver().QueryAsync("nothing-here.demo.test", QueryType.MX);

        Assert.True(viaUnbound.FromResolver);
        Assert.True(negativeViaUnbound.FromResolver);
        Assert.False(viaKnot.FromResolver);
    }

    [Fact]
    public async Task UseCache_AFullTable_TakesNoNewAnswer()
    {
        var zone = new ScriptedZone();
        for (var i = 0; i < 30; i++)
        {
            zone.Set($"d{i}.fleet.test", ScriptedRecord.Txt("v=spf1 -all"));
        }

        await using var server = ScriptedDnsServer.Start(zone);
        var shared = Shared(server.EndPoint, new FakeTimeProvider(Start), TimeSpan.FromMinutes(10), capacity: 20);
        for (var i = 0; i < 30; i++)
        {
            await shared.ForRun().QueryAsync($"d{i}.fleet.test", QueryType.TXT);
        }

        Assert.Equal(20, shared.SharedAnswerCount);
        await shared.ForRun().QueryAsync("d3.fleet.test", QueryType.TXT);
        await shared.ForRun().QueryAsync("d25.fleet.test", QueryType.TXT);
        Assert.Equal(1, server.QueriesFor("d3.fleet.test", 16));
        Assert.Equal(2, server.QueriesFor("d25.fleet.test", 16));
    }

    [Fact]
    public async Task UseCache_MaximumAgeEndsAnAnswerBeforeItsTtl()
    {
        var zone = new ScriptedZone().Set("mx.provider.test", ScriptedRecord.A("192.0.2.1"));
        await using var server = ScriptedDnsServer.Start(zone);
        var time = new FakeTimeProvider(Start);
        var shared = Shared(server.EndPoint, time, TimeSpan.FromSeconds(10));

        await shared.ForRun().QueryAsync("mx.provider.test", QueryType.A);
        await shared.ForRun().QueryAsync("mx.provider.test", QueryType.A);
        Assert.Equal(1, server.QueriesFor("mx.provider.test", 1));

        time.Advance(TimeSpan.FromSeconds(11));
        await shared.ForRun().QueryAsync("mx.provider.test", QueryType.A);

        Assert.Equal(2, server.QueriesFor("mx.provider.test", 1));
    }

    [Fact]
    public async Task UseCache_NegativeAnswerIsKeptForItsSoaOnly()
    {
        // Knot answers "no such name" with the zone's SOA (RFC 2308 section 3): kept. Knot, not
        // unbound: unbound serves the SOA it cached for any name of the zone, its TTL counting
        // down to 0 (not kept) for one second in every six.
        var time = new FakeTimeProvider(Start);
        var withSoa = Shared(Peers.Dns, time, TimeSpan.FromHours(1));
        var first = await withSoa.ForRun().QueryAsync("nothing-here.smtp.test", QueryType.TXT);
        var second = await withSoa.ForRun().QueryAsync("nothing-here.smtp.test", QueryType.TXT);

        Assert.Equal(DnsOutcome.NxDomain, first.Outcome);
        Assert.Same(first, second);

        // smtp.test's SOA: MINIMUM 300 s.
        time.Advance(TimeSpan.FromMinutes(6));
        Assert.NotSame(first, await withSoa.ForRun().QueryAsync("nothing-here.smtp.test", QueryType.TXT));

        // The scripted server sends no SOA with its NXDOMAIN: nothing says how long it holds.
        await using var server = ScriptedDnsServer.Start(new ScriptedZone());
        var withoutSoa = Shared(server.EndPoint, time, TimeSpan.FromHours(1));
        for (var i = 0; i < 3; i++)
        {
            Assert.Equal(DnsOutcome.NxDomain, (await withoutSoa.ForRun().QueryAsync("nothing.provider.test", QueryType.TXT)).Outcome);
        }

        Assert.Equal(3, server.QueriesFor("nothing.provider.test", 16));
    }

    [Fact]
    public async Task UseCache_ATimeoutIsNotKept_TheNextRunAsksAgain()
    {
        var zone = new ScriptedZone().Timeout("slow.provider.test");
        await using var server = ScriptedDnsServer.Start(zone);
        var time = new FakeTimeProvider(Start);
        var shared = Shared(server.EndPoint, time, TimeSpan.FromMinutes(1), TimeSpan.FromMilliseconds(300));

        var first = await shared.ForRun().QueryAsync("slow.provider.test", QueryType.A);
        zone.Set("slow.provider.test", ScriptedRecord.A("192.0.2.7"));
        var second = await shared.ForRun().QueryAsync("slow.provider.test", QueryType.A);

        Assert.Equal(DnsOutcome.Timeout, first.Outcome);
        Assert.Equal("192.0.2.7", second.Of<ARecord>().Single().Address.ToString());
    }

    [Fact]
    public async Task WithoutUseCache_EachRunAsks()
    {
        var zone = new ScriptedZone().Set("mx.provider.test", ScriptedRecord.A("192.0.2.1"));
        await using var server = ScriptedDnsServer.Start(zone);
        var resolver = server.Resolver(TimeSpan.FromSeconds(2));

        await resolver.ForRun().QueryAsync("mx.provider.test", QueryType.A);
        await resolver.ForRun().QueryAsync("mx.provider.test", QueryType.A);

        Assert.Equal(2, server.QueriesFor("mx.provider.test", 1));
    }

    private static DnsResolver Shared(
        IPEndPoint server, TimeProvider time, TimeSpan maximumAge, TimeSpan? timeout = null, TimeSpan? authoritativeAge = null, int capacity = DnsResolverOptions.DefaultCacheCapacity) => new(
        new DnsResolverOptions
        {
            Servers = [server],
            // A generous deadline and retries: a datagram lost or late while the whole suite loads
            // the machine must not read as a timeout, which is never kept.
            Timeout = timeout ?? TimeSpan.FromSeconds(10),
            Retries = 2,
            UseCache = true,
            MaximumCacheAge = maximumAge,
            MaximumAuthoritativeAge = authoritativeAge ?? maximumAge,
            CacheCapacity = capacity,
        },
        time: time);
}
