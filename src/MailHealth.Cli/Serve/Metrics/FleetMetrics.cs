using System.Globalization;
using MailHealth.Monitor.Api;
using MailHealth.Monitor.Metrics;
using MailHealth.Smtp;
using MailHealth.Storage.Availability;
using MailHealth.Storage.Runs;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;
using Prometheus;

namespace MailHealth.Cli.Serve.Metrics;

/// <summary>
/// The fleet's state as Prometheus gauges, read from storage when <c>/metrics</c> is scraped (at
/// most once per <see cref="ServeSettings.MetricsCacheDuration"/>): every <c>serve</c> process
/// sharing the account reports the same values, whichever ran the probe, and a process that
/// just started reports the fleet at once. The fleet's series are written as text straight from
/// the latest snapshot at each scrape, not kept as prometheus-net gauge children: at 1,500
/// targets those were some 63,000 long-lived objects and their tables (docs/operations.md,
/// "Memory"). Series and their meaning: docs/operations.md.
/// </summary>
public sealed class FleetMetrics
{
    private readonly FleetSnapshotReader reader;
    private readonly StorageDeadline deadline;
    private readonly IOptions<ApiSettings> api;
    private readonly IOptions<ServeSettings> settings;
    private readonly TimeProvider time;
    private readonly ILogger<FleetMetrics> logger;
    private readonly SemaphoreSlim refreshing = new(1, 1);
    private readonly Counter readFailures;
    private readonly Gauge snapshotTime;

    /// <summary>The latest snapshot read; replaced whole by a refresh, so a scrape writes one consistent snapshot.</summary>
    private volatile FleetSnapshot? snapshot;

    public FleetMetrics(
        CollectorRegistry registry,
        FleetSnapshotReader reader,
        StorageDeadline deadline,
        IOptions<ApiSettings> api,
        IOptions<ServeSettings> settings,
        TimeProvider time,
        ILogger<FleetMetrics> logger)
    {
        ArgumentNullException.ThrowIfNull(registry);
        this.reader = reader;
        this.deadline = deadline;
        this.api = api;
        this.settings = settings;
        this.time = time;
        this.logger = logger;
        var factory = Prometheus.Metrics.WithCustomRegistry(registry);
        readFailures = factory.CreateCounter("mailhealth_metrics_storage_read_failures_total", "Scrapes whose read of the fleet's state from storage failed (the previous values were served).");
        snapshotTime = factory.CreateGauge("mailhealth_metrics_storage_read_timestamp_seconds", "When the fleet's state served here was read from storage (Unix time).");
    }

    /// <summary>Reads storage again unless the last read is younger than the cache duration.</summary>
    public async Task RefreshAsync(CancellationToken cancellationToken)
    {
        await refreshing.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (snapshot is { } last && time.GetUtcNow() - last.ReadAt < settings.Value.MetricsCacheDuration)
            {
                return;
            }

            try
            {
                // A scrape is a caller like an API request: it waits for storage as long, then serves what it had.
                // Given the last snapshot, the read fetches again only the targets that ran since.
                var previous = snapshot;
                snapshot = await deadline.RunAsync(api.Value.StorageDeadline, ct => reader.ReadAsync(previous, ct), cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                // A scrape that fails tells Prometheus nothing; stale values and a counter do.
                readFailures.Inc();
                ServeLog.MetricsReadFailed(logger, e);
                return;
            }

            snapshotTime.Set(snapshot.ReadAt.ToUnixTimeMilliseconds() / 1000.0);
        }
        finally
        {
            refreshing.Release();
        }
    }

    /// <summary>Writes the fleet's series from the latest snapshot (nothing before the first read succeeds).</summary>
    public async Task WriteAsync(Stream output, CancellationToken cancellationToken)
    {
        if (snapshot is not { } fleet)
        {
            return;
        }

        var writer = new PrometheusTextWriter(output);
        await WriteTargetsAsync(writer, fleet, "mailhealth_target_info", "1 for every stored target, with its domain and whether it is enabled.", static (w, name, t) =>
            w.Series(name).Label("target", t.Target.Id).Label("domain", t.Target.Domain).Label("enabled", t.Target.Enabled ? "true" : "false").Value(1), cancellationToken).ConfigureAwait(false);
        await WriteTargetsAsync(writer, fleet, "mailhealth_target_status", "The overall status of the target's latest run: 0 pass, 1 warn, 2 fail, 3 error.", static (w, name, t) =>
        {
            if (t.Latest is { } latest)
            {
                w.Series(name).Label("target", t.Target.Id).Value((int)latest.Status);
            }
        }, cancellationToken).ConfigureAwait(false);
        await WriteTargetsAsync(writer, fleet, "mailhealth_target_last_run_timestamp_seconds", "When the target's latest run finished (Unix time).", static (w, name, t) =>
        {
            if (t.Latest is { } latest)
            {
                w.Series(name).Label("target", t.Target.Id).Value(latest.FinishedAt.ToUnixTimeMilliseconds() / 1000.0);
            }
        }, cancellationToken).ConfigureAwait(false);

        await WriteChecksAsync(writer, fleet, "mailhealth_check_status", "The latest status of one check: 0 pass, 1 warn, 2 fail, 3 error.", static (w, name, target, check) =>
            CheckSeries(w, name, target, check).Value((int)check.Status), cancellationToken).ConfigureAwait(false);
        await WriteChecksAsync(writer, fleet, "mailhealth_check_duration_seconds", "How long the check's latest run took.", static (w, name, target, check) =>
            CheckSeries(w, name, target, check).Value(check.DurationMs / 1000.0), cancellationToken).ConfigureAwait(false);
        await WriteChecksAsync(writer, fleet, "mailhealth_check_stage_duration_seconds", "One stage of the check's latest run (SMTP: connect, greeting, ehlo, starttls, tls, ehloAfterTls, auth, relayTest, total; MTA-STS: fetch).", static (w, name, target, check) =>
        {
            foreach (var (metric, value) in check.Metrics)
            {
                if (metric.Length > 2 && metric.EndsWith("Ms", StringComparison.Ordinal))
                {
                    CheckSeries(w, name, target, check).Label("stage", metric.AsSpan(0, metric.Length - 2)).Value(value / 1000.0);
                }
            }
        }, cancellationToken).ConfigureAwait(false);
        await WriteCheckMetricAsync(writer, fleet, "mailhealth_certificate_days_left", "Days until the certificate the check saw expires (negative: expired).", ["certDaysLeft", "certificateDaysLeft"], cancellationToken).ConfigureAwait(false);
        await WriteCheckMetricAsync(writer, fleet, "mailhealth_check_dns_lookups", "DNS lookups the check's evaluation needed (SPF: the RFC 7208 count, limit 10; DMARC: the tree walk's queries).", ["lookups", "dnsQueries"], cancellationToken).ConfigureAwait(false);
        await WriteCheckMetricAsync(writer, fleet, "mailhealth_blocklist_listings", "Blocklists that list the checked address or domain.", ["listings"], cancellationToken).ConfigureAwait(false);

        writer.Gauge("mailhealth_alerts_open", "Open alerts, by target and severity.");
        foreach (var group in fleet.OpenAlerts.GroupBy(a => (a.Key.TargetId, a.Severity)))
        {
            writer.Series("mailhealth_alerts_open").Label("target", group.Key.TargetId).Label("severity", group.Key.Severity.ToString().ToLowerInvariant()).Value(group.Count());
            await writer.WriteIfFullAsync(cancellationToken).ConfigureAwait(false);
        }

        writer.Gauge("mailhealth_queue_messages", "Approximate messages on a storage queue (the -poison queues hold those that failed every attempt).");
        foreach (var depth in fleet.Queues)
        {
            writer.Series("mailhealth_queue_messages").Label("queue", depth.QueueName).Value(depth.Messages);
            writer.Series("mailhealth_queue_messages").Label("queue", depth.QueueName + "-poison").Value(depth.PoisonMessages);
        }

        await writer.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>One family: its help and type, then what <paramref name="series"/> writes for each target (the format wants a family's series together).</summary>
    private static async ValueTask WriteTargetsAsync(
        PrometheusTextWriter writer,
        FleetSnapshot fleet,
        string name,
        string help,
        Action<PrometheusTextWriter, string, FleetTarget> series,
        CancellationToken cancellationToken)
    {
        writer.Gauge(name, help);
        foreach (var target in fleet.Targets)
        {
            series(writer, name, target);
            await writer.WriteIfFullAsync(cancellationToken).ConfigureAwait(false);
        }
    }

    /// <summary>One family written for each check of each target's latest run.</summary>
    private static ValueTask WriteChecksAsync(
        PrometheusTextWriter writer,
        FleetSnapshot fleet,
        string name,
        string help,
        Action<PrometheusTextWriter, string, string, CheckSummary> series,
        CancellationToken cancellationToken) =>
        WriteTargetsAsync(writer, fleet, name, help, (w, n, t) =>
        {
            foreach (var check in t.Latest?.Checks ?? [])
            {
                series(w, n, t.Target.Id, check.Check);
            }
        }, cancellationToken);

    /// <summary>One family for a check metric stored under one of <paramref name="metrics"/> (each check kind names it its own way).</summary>
    private static ValueTask WriteCheckMetricAsync(PrometheusTextWriter writer, FleetSnapshot fleet, string name, string help, string[] metrics, CancellationToken cancellationToken) =>
        WriteChecksAsync(writer, fleet, name, help, (w, n, target, check) =>
        {
            foreach (var metric in metrics)
            {
                if (check.Metrics.TryGetValue(metric, out var value))
                {
                    CheckSeries(w, n, target, check).Value(value);
                    return;
                }
            }
        }, cancellationToken);

    private static PrometheusTextWriter CheckSeries(PrometheusTextWriter writer, string name, string target, CheckSummary check) =>
        writer.Series(name).Label("target", target).Label("check", check.Id).Label("kind", check.Kind).Label("port", PortOf(check));

    /// <summary>The port of an SMTP check (<c>smtp:host:port</c>); empty for the others.</summary>
    private static ReadOnlySpan<char> PortOf(CheckSummary check)
    {
        var colon = check.Id.LastIndexOf(':');
        return check.Kind == SmtpCheck.KindName && colon > 0 && int.TryParse(check.Id.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out _)
            ? check.Id.AsSpan(colon + 1)
            : [];
    }
}
