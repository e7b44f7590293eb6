using System.Text.Json;
using MailHealth.Alerts;
using MailHealth.Checks;
using MailHealth.Runs;
using MailHealth.Storage.Alerts;
using MailHealth.Storage.Latest;
using MailHealth.Storage.Queues;
using Microsoft.Extensions.Time.Testing;

namespace MailHealth.Cli.Tests.Serve;

/// <summary>
/// The in-process schedule on a fake clock: a tick queues one probe per target, the hosted worker
/// runs them against the peers and stores the runs, and <c>/metrics</c> reports what storage holds.
/// </summary>
public sealed class ServeScheduleTests
{
    private const string Targets = """
        [
          { "id": "demo", "domain": "demo.test", "ports": [25], "dkimSelectors": ["mail"], "dnsbl": ["bl.rep.test"] },
          { "id": "expiring", "domain": "expiring3.smtp.test", "ports": [25], "dnsbl": ["bl.rep.test"] }
        ]
        """;

    [Fact]
    public async Task TickQueuesProbesAndTheWorkerStoresRunsThatMetricsReport()
    {
        // Real "now" on a fake clock: certificates are judged against today, the clock moves only when told.
        var time = new FakeTimeProvider(TimeProvider.System.GetUtcNow());
        await using var serve = await ServeHarness.StartAsync(Targets, time, new Dictionary<string, string?>
        {
            ["MAILHEALTH_SCHEDULE"] = "0 */5 * * * *",
        });
        var latest = serve.Get<LatestStatusStore>();
        Assert.Null(await latest.GetAsync("demo"));

        var schedule = serve.Job("Schedule");
        var tick = await ServeHarness.EventuallyAsync(() => Task.FromResult(schedule.Next is { } n ? (object)n : null), "the schedule waits for its first tick");
        var slot = (DateTimeOffset)tick;
        Assert.Equal(0, slot.Minute % 5);
        Assert.Equal(0, slot.Second);
        time.Advance(slot - time.GetUtcNow());

        var demo = await ServeHarness.EventuallyAsync(() => latest.GetAsync("demo"), "a run of demo is stored");
        var expiring = await ServeHarness.EventuallyAsync(() => latest.GetAsync("expiring"), "a run of expiring is stored");
        Assert.Equal(new RunId("demo", slot).ToString(), demo.RunId);
        Assert.Equal(CheckStatus.Warn, demo.Status);
        Assert.Equal(CheckStatus.Fail, expiring.Status);

        // The API answers from the same storage.
        using var status = JsonDocument.Parse(await serve.Read.GetStringAsync(new Uri("/api/targets/expiring/status", UriKind.Relative)));
        Assert.Equal("fail", status.RootElement.GetProperty("status").GetString());

        var metrics = new PrometheusText(await serve.Http.GetStringAsync(new Uri("/metrics", UriKind.Relative)));
        Assert.Equal((int)CheckStatus.Warn, metrics.Value("mailhealth_target_status", ("target", "demo")));
        Assert.Equal((int)CheckStatus.Fail, metrics.Value("mailhealth_target_status", ("target", "expiring")));

        var smtp = expiring.Checks.Single(c => c.Check.Id == "smtp:mx.expiring3.smtp.test:25").Check;
        Assert.Equal((int)smtp.Status, metrics.Value("mailhealth_check_status", ("target", "expiring"), ("check", smtp.Id), ("port", "25")));
        var daysLeft = smtp.Metrics["certDaysLeft"];
        Assert.InRange(daysLeft, 1, 4);
        Assert.Equal(daysLeft, metrics.Value("mailhealth_certificate_days_left", ("target", "expiring"), ("check", smtp.Id)));
        Assert.Equal(smtp.DurationMs / 1000.0, metrics.Value("mailhealth_check_duration_seconds", ("target", "expiring"), ("check", smtp.Id)));

        var spf = demo.Checks.Single(c => c.Check.Id == "spf").Check;
        Assert.Equal(spf.Metrics["lookups"], metrics.Value("mailhealth_check_dns_lookups", ("target", "demo"), ("check", "spf")));

        // The expiring certificate is critical: its alert opens on the first run.
        var open = (await serve.Get<AlertStore>().ListByStatusAsync(AlertStatus.Open)).Items;
        Assert.Contains(open, a => a.Key.TargetId == "expiring");
        Assert.Equal(
            open.Count(a => a.Key.TargetId == "expiring" && a.Severity == Severity.Critical),
            metrics.Value("mailhealth_alerts_open", ("target", "expiring"), ("severity", "critical")));

        var probes = await serve.Get<ProbeQueue>().GetDepthAsync();
        Assert.Equal(probes.Messages, metrics.Value("mailhealth_queue_messages", ("queue", serve.Prefix + "-probes")));
        Assert.Equal(0, metrics.Value("mailhealth_queue_messages", ("queue", serve.Prefix + "-probes-poison")));
        Assert.Equal(1, metrics.Value("mailhealth_runs_total", ("status", "warn")));
        Assert.Equal(1, metrics.Value("mailhealth_runs_total", ("status", "fail")));
        Assert.Equal(1, metrics.Value("mailhealth_schedule_ticks_total", ("job", "Schedule"), ("outcome", "ok")));
        Assert.Equal(
            time.GetUtcNow().ToUnixTimeMilliseconds() / 1000.0,
            metrics.Value("mailhealth_metrics_storage_read_timestamp_seconds"));
        Assert.Contains(metrics.LabelsOf("mailhealth_target_info"), l => l["target"] == "demo" && l["domain"] == "demo.test" && l["enabled"] == "true");
    }
}
