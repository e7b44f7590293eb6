using DnsClient;
using MailHealth.Dns;
using MailHealth.Testing.Dns;

namespace MailHealth.Core.Tests.Dns;

/// <summary>A run's view of the resolver: each question once per run, nothing kept past the run.</summary>
public sealed class DnsResolverRunViewTests
{
    [Fact]
    public async Task ForRun_SameQuestionTwice_AskedOnceAndAnotherRunSeesTheChange()
    {
        var zone = new ScriptedZone().Set("mx.example.test", ScriptedRecord.A("192.0.2.1"));
        await using var server = ScriptedDnsServer.Start(zone);
        var shared = server.Resolver(TimeSpan.FromSeconds(2));

        var run = shared.ForRun();
        var first = await run.QueryAsync("mx.example.test", QueryType.A);
        var again = await run.QueryAsync("MX.example.test.", QueryType.A);
        Assert.Equal(1, server.Queries);
        Assert.Same(first, again);

        zone.Set("mx.example.test", ScriptedRecord.A("192.0.2.2"));
        var next = await shared.ForRun().QueryAsync("mx.example.test", QueryType.A);

        Assert.Equal(2, server.Queries);
        Assert.Equal("192.0.2.2", next.Of<DnsClient.Protocol.ARecord>().Single().Address.ToString());
    }

    [Fact]
    public async Task ForRun_TimedOutAnswer_IsAskedAgain()
    {
        // The proof is the answer the second question gets, not a count of datagrams: the
        // server's receive loop may lag behind the client's deadline on a loaded machine.
        var zone = new ScriptedZone().Timeout("slow.example.test");
        await using var server = ScriptedDnsServer.Start(zone);
        var run = server.Resolver(TimeSpan.FromMilliseconds(200)).ForRun();

        var first = await run.QueryAsync("slow.example.test", QueryType.A);
        zone.Set("slow.example.test", ScriptedRecord.A("192.0.2.7"));
        var second = await run.QueryAsync("slow.example.test", QueryType.A);

        Assert.Equal(DnsOutcome.Timeout, first.Outcome);
        Assert.Equal(DnsOutcome.Success, second.Outcome);
        Assert.Equal("192.0.2.7", second.Of<DnsClient.Protocol.ARecord>().Single().Address.ToString());
    }
}
