using MailHealth.Checks;
using MailHealth.Smtp;
using MailHealth.Targets;
using MailHealth.Testing;
using MailHealth.Testing.Servers;
using Microsoft.Extensions.Time.Testing;

namespace MailHealth.Core.Tests.Smtp;

/// <summary>
/// One probe of a host, its addresses and a port serves every target whose mail goes there:
/// joined while it runs, reused for its age once a second target asked, never past it.
/// </summary>
public sealed class SharedProbesTests
{
    private static readonly DateTimeOffset Start = TestClock.Start;

    [Fact]
    public async Task Probe_ASecondTargetAskingWhileItRuns_WaitsForItInsteadOfConnecting()
    {
        var greet = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = Gated(greet);
        using var shared = new SharedProbes(TimeSpan.FromMinutes(1), new FakeTimeProvider(Start));
        var host = new MailHost("mx.provider.test", 10, [server.Address]);

        var first = ProbeAsync(shared, host, server, "one.test");
        await WaitUntilAsync(() => server.Accepted == 1);
        var second = ProbeAsync(shared, host with { Preference = 20 }, server, "two.test");
        greet.SetResult();
        var outcomes = await Task.WhenAll(first, second);

        Assert.Equal(1, server.Accepted);
        // The server offers no STARTTLS: both read the same warning from the one conversation.
        Assert.All(outcomes, o => Assert.Equal(CheckStatus.Warn, o.Result.Status));
        Assert.Equal(outcomes[0].Result.Findings, outcomes[1].Result.Findings);
        Assert.False(IsShared(outcomes[0]));
        var mark = Assert.IsType<Dictionary<string, object?>>(outcomes[1].Result.Evidence[SharedProbes.SharedProbeEvidence]);
        Assert.Equal(Start.ToString("O"), mark["startedAt"]);
        // Each target reads its own host (its MX preference), the probe's words are the same.
        Assert.Equal(20, outcomes[1].Host.Preference);
        Assert.Equal(outcomes[0].Result.Evidence["greeting"], outcomes[1].Result.Evidence["greeting"]);
        Assert.Equal(1, shared.KeptCount);
    }

    [Fact]
    public async Task Probe_AskedOnce_IsForgotten_AskedAgain_IsKeptForItsAgeOnly()
    {
        await using var server = Answering();
        var time = new FakeTimeProvider(Start);
        using var shared = new SharedProbes(TimeSpan.FromMinutes(1), time);
        var host = new MailHost("mx.provider.test", 10, [server.Address]);

        // A domain's own host: probed once and not kept.
        await ProbeAsync(shared, host, server, "one.test");
        Assert.Equal(0, shared.KeptCount);

        // Asked a second time: probed again, and now kept for the targets that follow.
        var second = await ProbeAsync(shared, host, server, "two.test");
        var third = await ProbeAsync(shared, host, server, "three.test");
        Assert.Equal(2, server.Accepted);
        Assert.False(IsShared(second));
        Assert.True(IsShared(third));

        // Past its age the next target probes afresh.
        time.Advance(TimeSpan.FromSeconds(61));
        var fourth = await ProbeAsync(shared, host, server, "four.test");
        Assert.Equal(3, server.Accepted);
        Assert.False(IsShared(fourth));
    }

    [Fact]
    public async Task Probe_TheSameHostOnAnotherPort_IsAnotherProbe()
    {
        await using var server = Answering();
        await using var other = Answering();
        using var shared = new SharedProbes(TimeSpan.FromMinutes(1), new FakeTimeProvider(Start));
        var host = new MailHost("mx.provider.test", 10, [server.Address]);
        await ProbeAsync(shared, host, server, "one.test");
        await ProbeAsync(shared, host, server, "two.test");

        // The same name on another port: its own probe.
        var elsewhere = await ProbeAsync(shared, host, other, "three.test");

        Assert.Equal(1, other.Accepted);
        Assert.False(IsShared(elsewhere));
    }

    [Fact]
    public async Task Probe_ZeroAge_EveryTargetProbesOnItsOwn()
    {
        await using var server = Answering();
        using var shared = new SharedProbes(TimeSpan.Zero, new FakeTimeProvider(Start));
        var host = new MailHost("mx.provider.test", 10, [server.Address]);

        for (var i = 0; i < 3; i++)
        {
            Assert.False(IsShared(await ProbeAsync(shared, host, server, $"d{i}.test")));
        }

        Assert.Equal(3, server.Accepted);
    }

    [Fact]
    public async Task Probe_AWaiterThatGivesUp_LeavesTheProbeToTheOthers()
    {
        var greet = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = Gated(greet);
        using var shared = new SharedProbes(TimeSpan.FromMinutes(1), new FakeTimeProvider(Start));
        var host = new MailHost("mx.provider.test", 10, [server.Address]);
        using var impatient = new CancellationTokenSource();

        var started = ProbeAsync(shared, host, server, "one.test", impatient.Token);
        await WaitUntilAsync(() => server.Accepted == 1);
        var patient = ProbeAsync(shared, host, server, "two.test");
        await impatient.CancelAsync();

        // The first asker's run ended; the probe it started goes on for the second.
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => started);
        greet.SetResult();
        Assert.True((await patient).ReachedServer);
        Assert.Equal(1, server.Accepted);
    }

    [Fact]
    public async Task Runner_ATargetThatGivesUp_GetsAnErrorResultSayingSo()
    {
        await using var server = SocketServer.Silent();
        using var shared = new SharedProbes(TimeSpan.FromMinutes(1), new FakeTimeProvider(Start));
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();
        var context = new CheckContext(
            Peers.Target("one.test", t => t with { Hosts = ["mx.provider.test"], Ports = [new PortSpec(server.Port, SmtpRole.Smtp)] }),
            Peers.Resolver(), Peers.Options(), TimeProvider.System, CheckServices.Default with { ResolveMailHosts = (_, _) => Task.FromResult(Hosts(server)) },
            CancellationToken.None, sharedProbes: shared);

        var outcome = Assert.Single(await SmtpProbeRunner.ProbeAllAsync(context, cancelled.Token));

        Assert.Equal(CheckStatus.Error, outcome.Result.Status);
        Assert.Contains("cancelled", outcome.Result.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false, false, 587, true)]
    [InlineData(true, false, 25, false)]
    [InlineData(false, true, 25, true)]
    [InlineData(false, true, 587, false)]
    [InlineData(false, true, 465, false)]
    public void CanShare_NotWhenTheTargetAddsItsOwnCommands(bool relayTest, bool credentials, int port, bool expected)
    {
        var target = Peers.Target("one.test", t => t with
        {
            RelayTest = relayTest,
            Credentials = credentials ? new SmtpCredentials("user", "secret") : null,
        });

        Assert.Equal(expected, SharedProbes.CanShare(target, new PortSpec(port, PortSpec.WellKnownRole(port)!.Value)));
    }

    [Fact]
    public async Task Checker_DomainsOfOneProvider_ReadOneProbeOfItsHost()
    {
        // Every fleet.test domain's MX is the good Postfix listener.
        var time = new FakeTimeProvider(Start);
        var checker = Peers.Checker(time: time);
        var port25 = new PortSpec(25, SmtpRole.Smtp);

        async Task<CheckResult> SmtpOf(string domain) =>
            (await checker.RunAsync(Peers.Target(domain, t => t with { Ports = [port25] }), CancellationToken.None)).Checks.Single(c => c.Kind == "smtp");

        var first = await SmtpOf("d1.fleet.test");
        var second = await SmtpOf("d2.fleet.test");
        var third = await SmtpOf("d3.fleet.test");
        time.Advance(TimeSpan.FromMinutes(2));
        var later = await SmtpOf("d4.fleet.test");

        Assert.All([first, second, third, later], r => Assert.Equal(CheckStatus.Pass, r.Status));
        Assert.False(IsShared(first));
        Assert.False(IsShared(second));
        Assert.True(IsShared(third));
        Assert.False(IsShared(later));
    }

    /// <summary>A server that greets only once <paramref name="greet"/> is set: its probe stays running until then.</summary>
    private static SocketServer Gated(TaskCompletionSource greet) => new(async (socket, stop) =>
    {
        await greet.Task.WaitAsync(stop);
        await HostileSmtpServers.ConverseAsync(socket, "220 mx.provider.test ESMTP", ["250 mx.provider.test"], stop);
    });

    private static bool IsShared(SmtpProbeOutcome outcome) => IsShared(outcome.Result);

    private static bool IsShared(CheckResult result) => result.Evidence.ContainsKey(SharedProbes.SharedProbeEvidence);

    private static SocketServer Answering() => new((socket, stop) =>
        HostileSmtpServers.ConverseAsync(socket, "220 mx.provider.test ESMTP", ["250 mx.provider.test"], stop));

    private static MailHostSet Hosts(SocketServer server) => new([new MailHost("mx.provider.test", 10, [server.Address])], MailHostSource.Explicit);

    private static Task<SmtpProbeOutcome> ProbeAsync(SharedProbes shared, MailHost host, SocketServer server, string domain, CancellationToken cancellationToken = default)
    {
        var port = new PortSpec(server.Port, SmtpRole.Smtp);
        var context = Peers.Context(Peers.Target(domain));
        return shared.ProbeAsync(host, port, ct => SmtpProbe.ProbeAsync(context, host, port, ct), cancellationToken);
    }

    /// <summary>Waits for a condition the test cannot await directly (a connection accepted); bounded so a bug fails instead of hanging.</summary>
    private static async Task WaitUntilAsync(Func<bool> condition)
    {
        for (var i = 0; i < 1000 && !condition(); i++)
        {
            await Task.Delay(10);
        }

        Assert.True(condition());
    }
}
