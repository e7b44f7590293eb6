using MailHealth.Monitor.Caching;
using MailHealth.Storage.Retention;
using Microsoft.Extensions.Options;

namespace MailHealth.Monitor.Retention;

/// <summary>The daily purge for both hosts: history older than <see cref="MonitorSettings.RetentionDays"/> goes.</summary>
public sealed class RetentionService(HistoryPurge purge, WriteClock writes, IOptions<MonitorSettings> settings, TimeProvider time)
{
    public async Task<PurgeResult> PurgeAsync(CancellationToken cancellationToken)
    {
        try
        {
            return await purge.PurgeAsync(time.GetUtcNow() - TimeSpan.FromDays(settings.Value.RetentionDays), cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            writes.WroteEverything();
        }
    }
}
