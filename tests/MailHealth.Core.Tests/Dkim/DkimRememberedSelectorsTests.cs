using MailHealth.Checks;
using MailHealth.Dkim;
using MailHealth.Memory;
using MailHealth.Testing;

namespace MailHealth.Core.Tests.Dkim;

/// <summary>
/// The DKIM check in the monitor: it checks the selectors the monitor remembers (found by the
/// daily sweep, reported by receivers) and guesses nothing per cycle (keys of auth.test, Knot).
/// </summary>
public sealed class DkimRememberedSelectorsTests
{
    private static readonly DateTimeOffset Now = TestClock.Start;

    private static async Task<(IReadOnlyList<CheckResult> Results, long Questions)> RunAsync(string domain, TargetMemory memory, params string[] configured)
    {
        var dns = Peers.Resolver();
        var context = Peers.Context(Peers.Target(domain, t => t with { DkimSelectors = configured }), dns: dns, time: new Microsoft.Extensions.Time.Testing.FakeTimeProvider(Now), memory: memory);
        var results = await new DkimCheck().RunAsync(context, CancellationToken.None);
        return (results, dns.QuestionsSent);
    }

    private static TargetMemory Memory(DkimSweepOutcome outcome, params RememberedSelector[] selectors) => new()
    {
        DkimSelectors = selectors,
        LastDkimSweep = new DkimSweepRecord("keys.auth.test", Now.AddHours(-3), outcome, 17),
    };

    [Fact]
    public async Task Run_DiscoveredSelectors_AreCheckedAsInformation_WithoutGuessing()
    {
        var (results, questions) = await RunAsync("keys.auth.test", Memory(DkimSweepOutcome.Found, new RememberedSelector("rsa1024", Now.AddHours(-3), null)));

        Assert.Equal(["dkim", "dkim:rsa1024"], results.Select(r => r.Id));
        Assert.Equal(1, questions);
        var summary = results[0];
        Assert.StartsWith("remembered", (string)summary.Evidence["mode"]!, StringComparison.Ordinal);
        Assert.Equal(DkimFindingCodes.SelectorsGuessed, Assert.Single(summary.Findings).Code);
        var weak = Assert.Single(results[1].Findings);
        Assert.Equal(DkimFindingCodes.KeyWeak, weak.Code);
        Assert.Equal(Severity.Info, weak.Severity);
        Assert.Equal("discovered", results[1].Evidence["source"]);
    }

    [Fact]
    public async Task Run_ReportedSelector_IsCheckedInEarnest()
    {
        var (results, _) = await RunAsync("keys.auth.test", Memory(DkimSweepOutcome.NoneFound, new RememberedSelector("rsa1024", null, Now.AddDays(-2))));

        var weak = Assert.Single(results.Single(r => r.Id == "dkim:rsa1024").Findings);
        Assert.Equal(Severity.Warning, weak.Severity);
        Assert.Empty(results.Single(r => r.Id == "dkim").Findings);
    }

    [Fact]
    public async Task Run_ReportedLongAgo_IsNoLongerChecked()
    {
        var (results, questions) = await RunAsync("keys.auth.test", Memory(DkimSweepOutcome.NoneFound, new RememberedSelector("rsa1024", null, Now.AddDays(-31))));

        var summary = Assert.Single(results);
        Assert.Equal(DkimFindingCodes.NoSelector, Assert.Single(summary.Findings).Code);
        Assert.Equal(0, questions);
        // No longer checked, which says nothing about its key: named so (docs/changes.md).
        Assert.Equal(["rsa1024"], Assert.IsAssignableFrom<IEnumerable<string>>(summary.Evidence["uncheckedSelectors"]));
    }

    [Fact]
    public async Task Run_ConfiguredAndReported_ChecksBoth()
    {
        var (results, _) = await RunAsync("keys.auth.test", Memory(DkimSweepOutcome.NoneFound, new RememberedSelector("ed25519", null, Now.AddDays(-1)), new RememberedSelector("rsa512", Now, null)), "rsa2048");

        // The guessed one is not checked beside configured selectors: the owner named them.
        Assert.Equal(["dkim:rsa2048", "dkim:ed25519"], results.Select(r => r.Id));
        Assert.Equal(["configured", "reported"], results.Select(r => r.Evidence["source"]));
    }

    [Theory]
    [InlineData(DkimSweepOutcome.NoDomainKey, "_domainkey.keys.auth.test does not exist")]
    [InlineData(DkimSweepOutcome.NoneFound, "none of the 16 common selectors has a key")]
    public async Task Run_NothingRemembered_IsNoSelectorWarning_WithoutAQuestion(DkimSweepOutcome outcome, string why)
    {
        var (results, questions) = await RunAsync("keys.auth.test", Memory(outcome));

        var summary = Assert.Single(results);
        Assert.Equal(CheckStatus.Warn, summary.Status);
        var finding = Assert.Single(summary.Findings);
        Assert.Equal(DkimFindingCodes.NoSelector, finding.Code);
        Assert.Contains(why, finding.Message, StringComparison.Ordinal);
        Assert.Contains("reported by receivers", finding.Message, StringComparison.Ordinal);
        Assert.Equal(0, questions);
    }

    [Fact]
    public async Task Run_SweepJustUnanswered_IsErrorNotNoSelector()
    {
        var memory = TargetMemory.Empty with
        {
            LastDkimSweep = new DkimSweepRecord("keys.auth.test", Now, DkimSweepOutcome.Unanswered, 1, FailureCode: "DNS_TIMEOUT", Failure: "TXT _domainkey.keys.auth.test: no answer in time"),
        };

        var (results, _) = await RunAsync("keys.auth.test", memory);

        var summary = Assert.Single(results);
        Assert.Equal(CheckStatus.Error, summary.Status);
        Assert.Equal("DNS_TIMEOUT", Assert.Single(summary.Findings).Code);
    }
}
