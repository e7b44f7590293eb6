using MailHealth.Storage.Latest;
using MailHealth.Storage.Queues;
using MailHealth.Testing;
using MailHealth.Testing.Servers;

namespace MailHealth.Cli.Tests.Serve;

/// <summary>Stopping with a probe in hand: the stop waits at most the shutdown bound, and the message is not lost.</summary>
public sealed class ServeShutdownTests
{
    [Fact]
    public async Task StopAbandonsAnInFlightProbeWithinTheBoundAndLeavesItsMessageOnTheQueue()
    {
        // A mail host that accepts and never greets, with deadlines far beyond the shutdown bound.
        await using var silent = SocketServer.Silent();
        await using var serve = await ServeHarness.StartAsync(
            $$"""[ { "id": "stuck", "domain": "demo.test", "hosts": ["{{silent.Address}}"], "ports": ["{{silent.Port}}:smtp"], "dnsbl": ["bl.rep.test"] } ]""",
            settings: new Dictionary<string, string?>
            {
                ["MailHealth:Checks:GreetingTimeout"] = "00:10:00",
                ["MailHealth:Checks:ProbeDeadline"] = "00:10:00",
                ["MailHealth:Checks:RunDeadline"] = "00:10:00",
                ["MailHealth:Serve:ShutdownTimeout"] = "00:00:01",
            });
        var probes = serve.Get<ProbeQueue>();
        await probes.SendAsync(new ProbeRequest("stuck", TestClock.Yesterday.AddHours(10)));
        await ServeHarness.EventuallyAsync(() => Task.FromResult(silent.Accepted > 0 ? (object)true : null), "the probe connects to the silent host");

        var stop = serve.Host.StopAsync(CancellationToken.None);
        // A guard against a hang, not a timing: the probe alone would wait ten minutes.
        var finished = await Task.WhenAny(stop, Task.Delay(TimeSpan.FromMinutes(2)));
        Assert.Same(stop, finished);
        await stop;

        Assert.Null(await serve.Get<LatestStatusStore>().GetAsync("stuck"));
        var depth = await probes.GetDepthAsync();
        Assert.Equal(1, depth.Messages);
        Assert.Equal(0, depth.PoisonMessages);
    }
}
