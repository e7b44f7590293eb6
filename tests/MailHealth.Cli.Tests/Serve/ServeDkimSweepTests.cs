using MailHealth.Memory;
using MailHealth.Runs;
using MailHealth.Storage.Dkim;
using MailHealth.Storage.Latest;
using Microsoft.Extensions.Time.Testing;

namespace MailHealth.Cli.Tests.Serve;

/// <summary>serve's DKIM selector sweep is a cron job of its own, which sweeps the targets without a probe run (on a fake clock).</summary>
public sealed class ServeDkimSweepTests
{
    [Fact]
    public async Task SweepJob_SweepsTheTargetsThatNameNoSelector()
    {
        // One second into a five-minute slot: the sweep's minute comes long before the schedule's next tick.
        var slot = RunId.SlotOf(TimeProvider.System.GetUtcNow(), TimeSpan.FromMinutes(5));
        var time = new FakeTimeProvider(slot.AddSeconds(1));
        await using var serve = await ServeHarness.StartAsync(
            """[{ "id": "common", "domain": "common.auth.test", "ports": [25] }, { "id": "named", "domain": "keys.auth.test", "dkimSelectors": ["rsa2048"] }]""",
            time,
            new Dictionary<string, string?> { ["MAILHEALTH_DKIM_SWEEP_SCHEDULE"] = "30 * * * * *" });
        var sweep = serve.Job("DkimSweep");
        var next = (DateTimeOffset)await ServeHarness.EventuallyAsync(() => Task.FromResult(sweep.Next is { } n ? (object)n : null), "the sweep waits for its time");
        Assert.True(next < slot.AddMinutes(5));

        time.Advance(next - time.GetUtcNow());

        var store = serve.Get<DkimSelectorStore>();
        var swept = await ServeHarness.EventuallyAsync(async () => (await store.GetAsync("common")).LastDkimSweep, "the job swept common");
        Assert.Equal(DkimSweepOutcome.Found, swept.Outcome);
        Assert.Null((await store.GetAsync("named")).LastDkimSweep);
        Assert.Null(await serve.Get<LatestStatusStore>().GetAsync("common"));
    }
}
