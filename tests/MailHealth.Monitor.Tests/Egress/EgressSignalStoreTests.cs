using MailHealth.Egress;
using MailHealth.Monitor.Tests.Runs;
using MailHealth.Storage.Configuration;
using MailHealth.Storage.Egress;
using Microsoft.Extensions.Time.Testing;

namespace MailHealth.Monitor.Tests.Egress;

/// <summary>Two workers sharing the egress window on Azurite: each sees its own signals at once, the other's within the refresh delay.</summary>
public sealed class EgressSignalStoreTests
{
    private static PortProbeSignal TimedOut(string target) => new(target, $"smtp:mx.{target}.test:25", 25, TimedOut: true, Connected: false);

    private static PortProbeSignal Submission(string target) => new(target, $"smtp:mx.{target}.test:587", 587, TimedOut: false, Connected: true);

    [Fact]
    public async Task TwoWorkers_SeeEachOthersSignalsWithinTheRefreshDelay()
    {
        var time = new FakeTimeProvider(TimeProvider.System.GetUtcNow());
        await using var monitor = await MonitorHarness.StartAsync(time: time);
        var account = monitor.Get<StorageAccount>();
        var window = TimeSpan.FromMinutes(30);
        var first = new EgressSignalStore(account, time, window);
        var second = new EgressSignalStore(account, time, window);

        await first.RecordAndReadAsync("a", [TimedOut("a"), Submission("a")], CancellationToken.None);
        var seen = await second.RecordAndReadAsync("b", [TimedOut("b")], CancellationToken.None);
        Assert.Equal(EgressVerdict.Blocked, EgressAnalysis.Judge(seen, 2));

        // The first worker hears port 25 answer; the second, which read just now, learns it at its next refresh.
        await first.RecordAndReadAsync("c", [new PortProbeSignal("c", "smtp:mx.c.test:25", 25, TimedOut: false, Connected: true)], CancellationToken.None);
        var stale = await second.RecordAndReadAsync("b", [TimedOut("b")], CancellationToken.None);
        time.Advance(second.RefreshEvery);
        var fresh = await second.RecordAndReadAsync("b", [TimedOut("b")], CancellationToken.None);

        Assert.Equal(EgressVerdict.Blocked, EgressAnalysis.Judge(stale, 2));
        Assert.Equal(EgressVerdict.Open, EgressAnalysis.Judge(fresh, 2));

        // Signals older than the window no longer count.
        time.Advance(window + TimeSpan.FromMinutes(1));
        Assert.Equal(EgressVerdict.Unknown, await second.ReadVerdictAsync(2, CancellationToken.None));
    }
}
