using MailHealth.Monitor.Runs;
using MailHealth.Storage.Queues;
using Microsoft.Azure.Functions.Worker;

namespace MailHealth.Functions.Triggers;

/// <summary>
/// One probe request off the queue: run the target's checks and store them. The message is bound
/// as the string <see cref="ProbeQueue"/> wrote (the host undoes the Base64) and read with the
/// Storage project's own serializer, so both ends share one shape. A failure throws: the host
/// retries the message and moves it to the poison queue after host.json's maxDequeueCount.
/// </summary>
public sealed class ProbeTarget(TargetRunService runs)
{
    public const string Name = nameof(ProbeTarget);

    [Function(Name)]
    public async Task RunAsync(
        [QueueTrigger(FunctionsSettings.ProbeQueueExpression, Connection = FunctionsSettings.StorageConnection)] string message,
        CancellationToken cancellationToken) =>
        await runs.RunAsync(StorageQueue<ProbeRequest>.Deserialize(message), cancellationToken).ConfigureAwait(false);
}
