using System.Globalization;
using MailHealth.Storage.Latest;
using MailHealth.Storage.Queues;
using MailHealth.Testing;

namespace MailHealth.Cli.Tests.Serve;

/// <summary>Two serve processes on one storage account: they share the queue's work and report the same fleet.</summary>
public sealed class ServeSharedStorageTests
{
    private const int TargetCount = 6;

    [Fact]
    public async Task TwoProcessesRunEachMessageOnceAndAgreeOnTheFleet()
    {
        var targets = "[" + string.Join(",", Enumerable.Range(1, TargetCount).Select(i => $$"""{ "id": "d{{i}}", "domain": "d{{i}}.fleet.test", "ports": [25], "dnsbl": ["bl.rep.test"] }""")) + "]";
        // The first process is stopped last (await using order): it owns the storage.
        await using var first = await ServeHarness.StartAsync(targets);
        await using var second = await ServeHarness.StartAsync(targets, sharing: first);

        var slot = TestClock.Yesterday.AddHours(12);
        var probes = first.Get<ProbeQueue>();
        for (var i = 1; i <= TargetCount; i++)
        {
            await probes.SendAsync(new ProbeRequest($"d{i}", slot));
        }

        var latest = first.Get<LatestStatusStore>();
        var stored = new List<LatestStatus>();
        for (var i = 1; i <= TargetCount; i++)
        {
            var id = $"d{i}";
            stored.Add(await ServeHarness.EventuallyAsync(() => latest.GetAsync(id), $"a run of {id} is stored"));
        }

        var fromFirst = new PrometheusText(await first.Http.GetStringAsync(new Uri("/metrics", UriKind.Relative)));
        var fromSecond = new PrometheusText(await second.Http.GetStringAsync(new Uri("/metrics", UriKind.Relative)));

        // Each message was run by one process only: the per-process counters add up to the messages.
        var runs = RunsOf(fromFirst) + RunsOf(fromSecond);
        Assert.Equal(TargetCount, runs);
        Assert.Equal(0, (await probes.GetDepthAsync()).Messages);

        // The fleet's values come from storage: both processes say the same, whichever ran the probe.
        foreach (var status in stored)
        {
            Assert.Equal((int)status.Status, fromFirst.Value("mailhealth_target_status", ("target", status.TargetId)));
            Assert.Equal((int)status.Status, fromSecond.Value("mailhealth_target_status", ("target", status.TargetId)));
        }
    }

    private static double RunsOf(PrometheusText metrics) =>
        new[] { "pass", "warn", "fail", "error" }.Sum(status => metrics.Value("mailhealth_runs_total", ("status", status)) ?? 0);
}
