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
/// just started reports the fleet at once. Series and their meaning: docs/operations.md.
/// </summary>
public sealed class FleetMetrics
{
    private static readonly string[] CheckLabels = ["target", "check", "kind", "port"];

    private readonly FleetSnapshotReader reader;
    private readonly StorageDeadline deadline;
    private readonly IOptions<ApiSettings> api;
    private readonly IOptions<ServeSettings> settings;
    private readonly TimeProvider time;
    private readonly ILogger<FleetMetrics> logger;
    private readonly SemaphoreSlim refreshing = new(1, 1);
    private readonly Counter readFailures;
    private readonly Gauge snapshotTime;
    private readonly LabelledGauge targetInfo;
    private readonly LabelledGauge targetStatus;
    private readonly LabelledGauge targetLastRun;
    private readonly LabelledGauge checkStatus;
    private readonly LabelledGauge checkDuration;
    private readonly LabelledGauge stageDuration;
    private readonly LabelledGauge certificateDays;
    private readonly LabelledGauge dnsLookups;
    private readonly LabelledGauge blocklistListings;
    private readonly LabelledGauge alertsOpen;
    private readonly LabelledGauge queueMessages;
    private readonly LabelledGauge[] all;
    private DateTimeOffset? readAt;

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
        Gauge G(string name, string help, params string[] labels) => factory.CreateGauge(name, help, labels);

        readFailures = factory.CreateCounter("mailhealth_metrics_storage_read_failures_total", "Scrapes whose read of the fleet's state from storage failed (the previous values were served).");
        snapshotTime = factory.CreateGauge("mailhealth_metrics_storage_read_timestamp_seconds", "When the fleet's state served here was read from storage (Unix time).");
        targetInfo = new(G("mailhealth_target_info", "1 for every stored target, with its domain and whether it is enabled.", "target", "domain", "enabled"));
        targetStatus = new(G("mailhealth_target_status", "The overall status of the target's latest run: 0 pass, 1 warn, 2 fail, 3 error.", "target"));
        targetLastRun = new(G("mailhealth_target_last_run_timestamp_seconds", "When the target's latest run finished (Unix time).", "target"));
        checkStatus = new(G("mailhealth_check_status", "The latest status of one check: 0 pass, 1 warn, 2 fail, 3 error.", CheckLabels));
        checkDuration = new(G("mailhealth_check_duration_seconds", "How long the check's latest run took.", CheckLabels));
        stageDuration = new(G("mailhealth_check_stage_duration_seconds", "One stage of the check's latest run (SMTP: connect, greeting, ehlo, starttls, tls, ehloAfterTls, auth, relayTest, total; MTA-STS: fetch).", [.. CheckLabels, "stage"]));
        certificateDays = new(G("mailhealth_certificate_days_left", "Days until the certificate the check saw expires (negative: expired).", CheckLabels));
        dnsLookups = new(G("mailhealth_check_dns_lookups", "DNS lookups the check's evaluation needed (SPF: the RFC 7208 count, limit 10; DMARC: the tree walk's queries).", CheckLabels));
        blocklistListings = new(G("mailhealth_blocklist_listings", "Blocklists that list the checked address or domain.", CheckLabels));
        alertsOpen = new(G("mailhealth_alerts_open", "Open alerts, by target and severity.", "target", "severity"));
        queueMessages = new(G("mailhealth_queue_messages", "Approximate messages on a storage queue (the -poison queues hold those that failed every attempt).", "queue"));
        all = [targetInfo, targetStatus, targetLastRun, checkStatus, checkDuration, stageDuration, certificateDays, dnsLookups, blocklistListings, alertsOpen, queueMessages];
        registry.AddBeforeCollectCallback(RefreshAsync);
    }

    /// <summary>Reads storage again unless the last read is younger than the cache duration.</summary>
    public async Task RefreshAsync(CancellationToken cancellationToken)
    {
        await refreshing.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            if (readAt is { } last && time.GetUtcNow() - last < settings.Value.MetricsCacheDuration)
            {
                return;
            }

            FleetSnapshot snapshot;
            try
            {
                // A scrape is a caller like an API request: it waits for storage as long, then serves what it had.
                snapshot = await deadline.RunAsync(api.Value.StorageDeadline, reader.ReadAsync, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                // A scrape that fails tells Prometheus nothing; stale values and a counter do.
                readFailures.Inc();
                ServeLog.MetricsReadFailed(logger, e);
                return;
            }

            Apply(snapshot);
            readAt = snapshot.ReadAt;
        }
        finally
        {
            refreshing.Release();
        }
    }

    private void Apply(FleetSnapshot snapshot)
    {
        foreach (var gauge in all)
        {
            gauge.BeginRound();
        }

        foreach (var (target, latest) in snapshot.Targets)
        {
            targetInfo.Set(1, target.Id, target.Domain, target.Enabled ? "true" : "false");
            if (latest is null)
            {
                continue;
            }

            targetStatus.Set((int)latest.Status, target.Id);
            targetLastRun.Set(latest.FinishedAt.ToUnixTimeMilliseconds() / 1000.0, target.Id);
            foreach (var check in latest.Checks)
            {
                SetCheck(target.Id, check.Check);
            }
        }

        foreach (var group in snapshot.OpenAlerts.GroupBy(a => (a.Key.TargetId, Severity: a.Severity.ToString().ToLowerInvariant())))
        {
            alertsOpen.Set(group.Count(), group.Key.TargetId, group.Key.Severity);
        }

        foreach (var depth in snapshot.Queues)
        {
            queueMessages.Set(depth.Messages, depth.QueueName);
            queueMessages.Set(depth.PoisonMessages, depth.QueueName + "-poison");
        }

        foreach (var gauge in all)
        {
            gauge.EndRound();
        }

        snapshotTime.Set(snapshot.ReadAt.ToUnixTimeMilliseconds() / 1000.0);
    }

    private void SetCheck(string targetId, CheckSummary check)
    {
        string[] labels = [targetId, check.Id, check.Kind, PortOf(check)];
        checkStatus.Set((int)check.Status, labels);
        checkDuration.Set(check.DurationMs / 1000.0, labels);
        foreach (var (name, value) in check.Metrics)
        {
            switch (name)
            {
                case "certDaysLeft" or "certificateDaysLeft":
                    certificateDays.Set(value, labels);
                    break;
                case "lookups" or "dnsQueries":
                    dnsLookups.Set(value, labels);
                    break;
                case "listings":
                    blocklistListings.Set(value, labels);
                    break;
                case var stage when stage.EndsWith("Ms", StringComparison.Ordinal) && stage.Length > 2:
                    stageDuration.Set(value / 1000.0, [.. labels, stage[..^2]]);
                    break;
            }
        }
    }

    /// <summary>The port of an SMTP check (<c>smtp:host:port</c>); empty for the others.</summary>
    private static string PortOf(CheckSummary check)
    {
        var colon = check.Id.LastIndexOf(':');
        return check.Kind == SmtpCheck.KindName && colon > 0 && int.TryParse(check.Id.AsSpan(colon + 1), NumberStyles.None, CultureInfo.InvariantCulture, out _)
            ? check.Id[(colon + 1)..]
            : "";
    }
}
