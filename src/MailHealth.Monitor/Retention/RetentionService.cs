using MailHealth.Monitor.Caching;
using MailHealth.Monitor.ReceiverReports;
using MailHealth.Monitor.Runs;
using MailHealth.Storage.ReceiverReports;
using MailHealth.Storage.Retention;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MailHealth.Monitor.Retention;

/// <summary>
/// The daily purge for both hosts: history older than <see cref="MonitorSettings.RetentionDays"/>
/// goes, and receivers' reports older than <see cref="ReportIngestionSettings.RetentionDays"/>.
/// </summary>
public sealed class RetentionService(
    HistoryPurge purge,
    ReportPurge reports,
    WriteClock writes,
    IOptions<MonitorSettings> settings,
    IOptions<ReportIngestionSettings> ingestion,
    ILogger<RetentionService> logger,
    TimeProvider time)
{
    public async Task<PurgeResult> PurgeAsync(CancellationToken cancellationToken)
    {
        try
        {
            var now = time.GetUtcNow();
            var history = await purge.PurgeAsync(now - TimeSpan.FromDays(settings.Value.RetentionDays), cancellationToken).ConfigureAwait(false);
            var firstDayKept = ReportRetention.FirstDayKept(now, ingestion.Value.RetentionDays);
            var purged = await reports.PurgeAsync(firstDayKept, cancellationToken).ConfigureAwait(false);
            MonitorLog.ReportsPurged(logger, firstDayKept, purged.Reports, purged.SourceRows + purged.TlsRows + purged.DayRows, purged.Inputs, purged.Domains);
            return history;
        }
        finally
        {
            writes.WroteEverything();
        }
    }
}
