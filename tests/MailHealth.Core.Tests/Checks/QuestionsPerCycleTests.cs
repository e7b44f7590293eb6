using MailHealth.Dns;
using MailHealth.Memory;
using MailHealth.Targets;
using MailHealth.Testing;
using Microsoft.Extensions.Time.Testing;

namespace MailHealth.Core.Tests.Checks;

/// <summary>
/// A cycle asks only what can change the verdict (issue 17): the full suite of demo.test through
/// the caching resolver, as the monitor runs it (its DKIM selector remembered), counted at the
/// resolver's door. The second cycle, within the answers' TTL, asks nothing.
/// </summary>
public sealed class QuestionsPerCycleTests
{
    private static readonly TargetMemory Remembered = new()
    {
        DkimSelectors = [new RememberedSelector("mail", TestClock.Yesterday, null)],
        LastDkimSweep = new DkimSweepRecord("demo.test", TestClock.Yesterday, DkimSweepOutcome.Found, 17),
    };

    private static Target Demo(params string[] checks) => Peers.Target("demo.test", t => t with
    {
        Ports = [new PortSpec(25, SmtpRole.Smtp)],
        DnsblZones = ["bl.rep.test"],
        Checks = checks.Length == 0 ? null : checks,
    });

    // The cache's clock stands still between the two cycles, so every answer kept lives through
    // the second. unbound counts the TTLs of what it cached down (negative answers from 5 s, as
    // eng/peers/start.d/95-unbound.sh caps them), and an answer another test had it cache can
    // come with its TTL run down to 0: RFC 1035 section 3.2.1 says not to keep it, so it is asked
    // again. Which ones that is depends on what other tests asked a moment before.
    private static DnsResolver Caching() => new(
        new DnsResolverOptions { Servers = [RecursivePeer.Endpoint], UseCache = true, Timeout = TimeSpan.FromSeconds(5), Retries = 2 },
        time: new FakeTimeProvider(TestClock.Start));

    [Fact]
    public async Task FullSuite_AsksAtMost21QuestionsCold_AndNoneWhileTheAnswersLive()
    {
        var dns = Caching();
        var checker = Peers.Checker(dns);

        await checker.RunAsync(Demo(), Remembered, CancellationToken.None);
        var cold = dns.QuestionsSent;
        var kept = dns.SharedAnswerCount;
        await checker.RunAsync(Demo(), Remembered, CancellationToken.None);

        // 37 before issue 17: 16 DKIM guesses, a CNAME question per MX host, nothing kept across cycles.
        Assert.InRange(cold, 15, 21);
        // Asked again: exactly the answers not kept (TTL 0), none of those that live.
        Assert.Equal(cold - kept, dns.QuestionsSent - cold);
        Assert.True(kept > 0, "no answer of the first cycle was kept");
    }

    [Fact]
    public async Task Dkim_AsksOneQuestionPerRememberedSelector_AndGuessesNone()
    {
        var dns = Caching();

        await Peers.Checker(dns).RunAsync(Demo(CheckKinds.Dkim), Remembered, CancellationToken.None);

        Assert.Equal(1, dns.QuestionsSent);
    }
}
