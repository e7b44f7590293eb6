using MailHealth.Dkim;
using MailHealth.Memory;
using MailHealth.Testing;
using MailHealth.Testing.Dns;

namespace MailHealth.Core.Tests.Dkim;

/// <summary>
/// The discovery sweep: the RFC 8020 cut on <c>_domainkey</c>, its guard for servers that answer
/// NXDOMAIN for an empty non-terminal, and what each costs in questions.
/// </summary>
public sealed class DkimSelectorSweepTests
{
    private const string Key = "v=DKIM1; k=ed25519; p=kvWf7F6g6nIg207gUeRPXAkozTfbU2hZAX4QcUvPQl8=";

    private static Task<DkimSweep> SweepAsync(MailHealth.Dns.DnsResolver dns, string domain, params string[] known) =>
        DkimSelectorSweep.SweepAsync(dns, domain, known, new SemaphoreSlim(8), CancellationToken.None);

    [Fact]
    public async Task Sweep_DomainWithSelectors_AsksEveryCommonOne()
    {
        // Knot answers _domainkey.common.auth.test, an empty non-terminal, with NOERROR and no data.
        var sweep = await SweepAsync(Peers.Resolver(), "common.auth.test");

        Assert.Equal(DkimSweepOutcome.Found, sweep.Outcome);
        Assert.Equal(["default", "selector1", "google"], sweep.Found);
        Assert.Equal(17, sweep.Questions);
        Assert.False(sweep.GuardCaught);
    }

    [Fact]
    public async Task Sweep_NoDomainKey_StopsAfterTheGuard()
    {
        var sweep = await SweepAsync(Peers.Resolver(), "bare.auth.test");

        Assert.Equal(DkimSweepOutcome.NoDomainKey, sweep.Outcome);
        Assert.Equal(2, sweep.Questions);
        Assert.Equal([DkimSelectorSweep.GuardSelector], sweep.Tried);
    }

    [Fact]
    public async Task Sweep_ServerThatDeniesTheEmptyNonTerminal_IsCaughtByTheGuard()
    {
        // The scripted server answers NXDOMAIN for every name it does not hold, _domainkey included:
        // the broken behaviour RFC 8020 rules out.
        var zone = new ScriptedZone().Add($"selector1._domainkey.broken.test", ScriptedRecord.Txt(Key));
        await using var server = ScriptedDnsServer.Start(zone);

        var sweep = await SweepAsync(server.Resolver(TimeSpan.FromSeconds(5)), "broken.test");

        Assert.True(sweep.GuardCaught);
        Assert.Equal(DkimSweepOutcome.Found, sweep.Outcome);
        Assert.Equal(["selector1"], sweep.Found);
        Assert.Equal(17, sweep.Questions);
    }

    [Fact]
    public async Task Sweep_ServerThatDeniesTheEmptyNonTerminal_IsCaughtThroughAKnownSelector()
    {
        var zone = new ScriptedZone()
            .Add("brand._domainkey.broken.test", ScriptedRecord.Txt(Key))
            .Add("s1._domainkey.broken.test", ScriptedRecord.Txt(Key));
        await using var server = ScriptedDnsServer.Start(zone);

        var sweep = await SweepAsync(server.Resolver(TimeSpan.FromSeconds(5)), "broken.test", "brand");

        Assert.True(sweep.GuardCaught);
        Assert.Equal(["s1", "brand"], sweep.Found);
        Assert.Equal(1, server.QueriesFor("brand._domainkey.broken.test", ScriptedRecord.TypeTxt));
    }

    [Fact]
    public async Task Sweep_ServerThatDeniesTheEmptyNonTerminal_IsMissedWhenTheGuardSelectorIsNotUsed()
    {
        // What the guard does not catch (docs/findings.md): a broken server, and a domain that
        // signs only with selectors other than the one the guard asks.
        var zone = new ScriptedZone().Add("s1._domainkey.broken.test", ScriptedRecord.Txt(Key));
        await using var server = ScriptedDnsServer.Start(zone);

        var sweep = await SweepAsync(server.Resolver(TimeSpan.FromSeconds(5)), "broken.test");

        Assert.Equal(DkimSweepOutcome.NoDomainKey, sweep.Outcome);
        Assert.Equal(2, sweep.Questions);
    }

    [Fact]
    public async Task Sweep_GuardUnanswered_IsUnansweredNotNoKey()
    {
        var zone = new ScriptedZone().Timeout("selector1._domainkey.slow.test");
        await using var server = ScriptedDnsServer.Start(zone);

        var sweep = await SweepAsync(server.Resolver(TimeSpan.FromMilliseconds(300)), "slow.test");

        Assert.Equal(DkimSweepOutcome.Unanswered, sweep.Outcome);
        Assert.Equal("DNS_TIMEOUT", sweep.ToRecord("slow.test", TestClock.Start).FailureCode);
    }
}
