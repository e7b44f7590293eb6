using MailHealth.Monitor.Retention;
using Microsoft.Azure.Functions.Worker;

namespace MailHealth.Functions.Triggers;

/// <summary>Daily: history older than the retention period goes.</summary>
public sealed class PurgeHistory(RetentionService retention)
{
    public const string Name = nameof(PurgeHistory);

    [Function(Name)]
    public async Task RunAsync([TimerTrigger(FunctionsSettings.PurgeSchedule)] TimerInfo timer, CancellationToken cancellationToken) =>
        await retention.PurgeAsync(cancellationToken).ConfigureAwait(false);
}
