using MailHealth.Monitor.Delivery;
using MailHealth.Monitor.ReceiverReports;
using MailHealth.Monitor.Runs;
using MailHealth.Storage.Queues;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MailHealth.Monitor.Queues;

/// <summary>
/// Takes messages off the probe, notification and report queues and hands them to the services,
/// as the Functions queue triggers do: a message is deleted only after its handler finished, one whose
/// handler threw becomes visible again after the visibility timeout, and one that failed
/// <see cref="MaxDequeueCount"/> times moves to the poison queue (host.json's maxDequeueCount).
/// <c>serve</c> runs it in a loop; several processes sharing a storage account share the work.
/// </summary>
public sealed partial class QueueWorker(
    ProbeQueue probes,
    NotificationQueue notifications,
    ReportQueue reports,
    TargetRunService runs,
    NotificationDispatcher dispatcher,
    ReportIngestion ingestion,
    IOptions<MonitorSettings> settings,
    ILogger<QueueWorker> logger)
{
    /// <summary>Attempts before a message is poison (the Functions default).</summary>
    public const int MaxDequeueCount = 5;

    /// <summary>Messages taken at once from the probe and notification queues.</summary>
    private const int Batch = 16;

    /// <summary>Report inputs taken at once: each may be 25 MiB held in memory while its reports are read.</summary>
    private const int ReportBatch = 2;

    /// <summary>Handles what is on the queues now, until they are empty; returns how many messages were handled.</summary>
    public Task<int> DrainAsync(CancellationToken cancellationToken) => DrainAsync(cancellationToken, cancellationToken);

    /// <summary>
    /// As <see cref="DrainAsync(CancellationToken)"/>, for a host that stops gracefully: once
    /// <paramref name="stopTaking"/> is cancelled no further message is taken and the messages in
    /// hand are finished; <paramref name="abandon"/> cancels those too (an abandoned message is not
    /// deleted: it is seen again after the visibility timeout and retried).
    /// </summary>
    public async Task<int> DrainAsync(CancellationToken stopTaking, CancellationToken abandon)
    {
        var handled = 0;
        while (!stopTaking.IsCancellationRequested)
        {
            var batch = await HandleAsync(probes, Batch, (m, ct) => runs.RunAsync(m, ct), stopTaking, abandon).ConfigureAwait(false)
                + await HandleAsync(notifications, Batch, (m, ct) => dispatcher.DeliverAsync(m, ct), stopTaking, abandon).ConfigureAwait(false)
                + await HandleAsync(reports, ReportBatch, (m, ct) => ingestion.ProcessAsync(m, ct), stopTaking, abandon).ConfigureAwait(false);
            if (batch == 0)
            {
                return handled;
            }

            handled += batch;
        }

        return handled;
    }

    private async Task<int> HandleAsync<T, TResult>(StorageQueue<T> queue, int maxMessages, Func<T, CancellationToken, Task<TResult>> handle, CancellationToken stopTaking, CancellationToken cancellationToken)
        where T : class
    {
        if (stopTaking.IsCancellationRequested)
        {
            return 0;
        }

        IReadOnlyList<ReceivedMessage<T>> messages;
        try
        {
            messages = await queue.ReceiveAsync(maxMessages, settings.Value.MessageVisibilityTimeout, stopTaking).ConfigureAwait(false);
        }
        catch (QueueMessageFormatException e)
        {
            // A message nobody can read: the queue's own poison handling takes it after its dequeues.
            LogUnreadable(logger, queue.Name, e);
            return 0;
        }

        await Task.WhenAll(messages.Select(async message =>
        {
            if (message.DequeueCount > MaxDequeueCount)
            {
                await queue.SendToPoisonAsync(message.Message, cancellationToken).ConfigureAwait(false);
                await queue.DeleteAsync(message, cancellationToken).ConfigureAwait(false);
                LogPoisoned(logger, queue.Name, message.MessageId, message.DequeueCount);
                return;
            }

            try
            {
                await handle(message.Message, cancellationToken).ConfigureAwait(false);
                await queue.DeleteAsync(message, cancellationToken).ConfigureAwait(false);
            }
            catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
            {
                // Left on the queue: visible again after the timeout, retried, poison after the last try.
                LogFailed(logger, queue.Name, message.MessageId, message.DequeueCount, e);
            }
        })).ConfigureAwait(false);
        return messages.Count;
    }

    [LoggerMessage(EventId = 2300, Level = LogLevel.Error, Message = "Message {MessageId} of {Queue} failed (attempt {DequeueCount}); it will be retried")]
    private static partial void LogFailed(ILogger logger, string queue, string messageId, long dequeueCount, Exception exception);

    [LoggerMessage(EventId = 2301, Level = LogLevel.Error, Message = "Message {MessageId} of {Queue} failed {DequeueCount} times and moved to the poison queue")]
    private static partial void LogPoisoned(ILogger logger, string queue, string messageId, long dequeueCount);

    [LoggerMessage(EventId = 2302, Level = LogLevel.Error, Message = "A message of {Queue} could not be read")]
    private static partial void LogUnreadable(ILogger logger, string queue, Exception exception);
}
