using System.Net;
using DnsClient;
using DnsClient.Protocol;
using MailHealth.Dns;
using MailHealth.Testing;
using MailHealth.Testing.Dns;
using Microsoft.Extensions.Time.Testing;

namespace MailHealth.Core.Tests.Dns;

/// <summary>
/// UseCache: answers shared by the runs of one process once a second run asks, each for its TTL
/// (a negative one for its SOA's, RFC 2308), never past MaximumCacheAge; failures never kept.
/// </summary>
public sealed class DnsResolverSharedAnswersTests
{
    private static readonly DateTimeOffset Start = TestClock.Start;

    [Fact]
    public async Task UseCache_AQuestionOfTwoRuns_IsAnsweredToTheNext_UntilItsTtlEnds()
    {
        var zone = new ScriptedZone().Set("mx.provider.test", ScriptedRecord.A("192.0.2.1"));
        await using var server = ScriptedDnsServer.Start(zone);
        var time = new FakeTimeProvider(Start);
        var shared = Shared(server.EndPoint, time, TimeSpan.FromMinutes(10));

        await shared.ForRun().QueryAsync("mx.provider.test", QueryType.A);
        var second = await shared.ForRun().QueryAsync("mx.provider.test", QueryType.A);
        zone.Set("mx.provider.test", ScriptedRecord.A("192.0.2.2"));
        time.Advance(TimeSpan.FromSeconds(59));
        var third = await shared.ForRun().QueryAsync("MX.provider.test.", QueryType.A);

        Assert.Same(second, third);
        Assert.Equal(2, server.QueriesFor("mx.provider.test", 1));

        // The scripted server's TTL is 60 s.
        time.Advance(TimeSpan.FromSeconds(2));
        var fourth = await shared.ForRun().QueryAsync("mx.provider.test", QueryType.A);

        Assert.Equal(3, server.QueriesFor("mx.provider.test", 1));
        Assert.Equal("192.0.2.2", fourth.Of<ARecord>().Single().Address.ToString());
    }

    [Fact]
    public async Task UseCache_QuestionsAskedOnce_AreNotKept()
    {
        // A fleet's own names (each domain's MX, SPF, selectors) come once: keeping them would
        // only grow memory with the fleet.
        var zone = new ScriptedZone();
        for (var i = 0; i < 300; i++)
        {
            zone.Set($"d{i}.fleet.test", ScriptedRecord.Txt("v=spf1 -all"));
        }

        await using var server = ScriptedDnsServer.Start(zone);
        var shared = Shared(server.EndPoint, new FakeTimeProvider(Start), TimeSpan.FromMinutes(1));
        for (var i = 0; i < 300; i++)
        {
            await shared.ForRun().QueryAsync($"d{i}.fleet.test", QueryType.TXT);
        }

        Assert.Equal(0, shared.SharedAnswerCount);

        Assert.Equal(DnsOutcome.Success, (await shared.ForRun().QueryAsync("d7.fleet.test", QueryType.TXT)).Outcome);
        Assert.Equal(1, shared.SharedAnswerCount);
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
        await shared.ForRun().QueryAsync("mx.provider.test", QueryType.A);
        Assert.Equal(2, server.QueriesFor("mx.provider.test", 1));

        time.Advance(TimeSpan.FromSeconds(11));
        await shared.ForRun().QueryAsync("mx.provider.test", QueryType.A);

        Assert.Equal(3, server.QueriesFor("mx.provider.test", 1));
    }

    [Fact]
    public async Task UseCache_NegativeAnswerIsKeptForItsSoaOnly()
    {
        // Knot answers "no such name" with the zone's SOA (RFC 2308 section 3): kept. Knot, not
        // unbound: unbound serves the SOA it cached for any name of the zone, its TTL counting
        // down to 0 (not kept) for one second in every six.
        var time = new FakeTimeProvider(Start);
        var withSoa = Shared(Peers.Dns, time, TimeSpan.FromMinutes(1));
        await withSoa.ForRun().QueryAsync("nothing-here.smtp.test", QueryType.TXT);
        var second = await withSoa.ForRun().QueryAsync("nothing-here.smtp.test", QueryType.TXT);
        var third = await withSoa.ForRun().QueryAsync("nothing-here.smtp.test", QueryType.TXT);

        Assert.Equal(DnsOutcome.NxDomain, second.Outcome);
        Assert.Same(second, third);

        time.Advance(TimeSpan.FromMinutes(2));
        Assert.NotSame(second, await withSoa.ForRun().QueryAsync("nothing-here.smtp.test", QueryType.TXT));

        // The scripted server sends no SOA with its NXDOMAIN: nothing says how long it holds.
        await using var server = ScriptedDnsServer.Start(new ScriptedZone());
        var withoutSoa = Shared(server.EndPoint, time, TimeSpan.FromMinutes(1));
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

    private static DnsResolver Shared(IPEndPoint server, TimeProvider time, TimeSpan maximumAge, TimeSpan? timeout = null) => new(
        new DnsResolverOptions
        {
            Servers = [server],
            // A generous deadline and retries: a datagram lost or late while the whole suite loads
            // the machine must not read as a timeout, which is never kept.
            Timeout = timeout ?? TimeSpan.FromSeconds(10),
            Retries = 2,
            UseCache = true,
            MaximumCacheAge = maximumAge,
        },
        time: time);
}
