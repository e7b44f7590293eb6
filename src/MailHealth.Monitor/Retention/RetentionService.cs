using MailHealth.Storage.Retention;
using Microsoft.Extensions.Options;

namespace MailHealth.Monitor.Retention;

/// <summary>The daily purge for both hosts: history older than <see cref="MonitorSettings.RetentionDays"/> goes.</summary>
public sealed class RetentionService(HistoryPurge purge, IOptions<MonitorSettings> settings, TimeProvider time)
{
    public Task<PurgeResult> PurgeAsync(CancellationToken cancellationToken) =>
        purge.PurgeAsync(time.GetUtcNow() - TimeSpan.FromDays(settings.Value.RetentionDays), cancellationToken);
}
