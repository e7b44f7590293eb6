using MailHealth.Monitor.Delivery;
using MailHealth.Monitor.ReceiverReports;
using MailHealth.Monitor.Runs;
using MailHealth.Storage.Availability;
using MailHealth.Storage.Queues;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MailHealth.Monitor.Queues;

/// <summary>
/// Takes messages off the probe, notification and report queues and hands them to the services,
/// as the Functions queue triggers do: a message is deleted only after its handler finished, one whose
/// handler threw becomes visible again after the visibility timeout, and one that failed
/// <see cref="MaxDequeueCount"/> times moves to the poison queue (host.json's maxDequeueCount).
/// Up to <see cref="MonitorSettings.RunsInFlight"/> probe messages, <see cref="MaxDeliveriesInFlight"/>
/// notification messages and <see cref="MaxReportsInFlight"/> report inputs are handled at once, and a slot is
/// refilled as soon as its message is done: a slow run (a host that never answers) holds its own
/// slot, never the others' (a batch that waited for its slowest run held fifteen idle slots).
/// Receives are counted, each a billed transaction: probe slots are refilled once an eighth of them
/// are free (<see cref="RefillAt"/>), not one receive per finished run, and a queue found empty
/// rests <see cref="EmptyQueueRest"/> within a drain instead of being asked each time another
/// queue's message is done; before a drain ends every queue is asked once more.
/// <c>serve</c> runs it in a loop; several processes sharing a storage account share the work.
/// </summary>
public sealed partial class QueueWorker(
    ProbeQueue probes,
    NotificationQueue notifications,
    ReportQueue reports,
    TargetRunService runs,
    NotificationDispatcher dispatcher,
    ReportIngestion ingestion,
    StorageDeadline deadline,
    IOptions<MonitorSettings> settings,
    TimeProvider time,
    ILogger<QueueWorker> logger)
{
    /// <summary>Attempts before a message is poison (the Functions default).</summary>
    public const int MaxDequeueCount = 5;

    /// <summary>Notification messages handled at once (each a short HTTP or SMTP delivery).</summary>
    public const int MaxDeliveriesInFlight = 16;

    /// <summary>Report inputs handled at once: each may be 25 MiB held in memory while its reports are read (the bound both hosts keep, <see cref="ReportIngestion.MaxInputsInFlight"/>).</summary>
    public const int MaxReportsInFlight = ReportIngestion.MaxInputsInFlight;

    /// <summary>How long a queue found empty is not asked again within a drain: a notification waits at most this long.</summary>
    public static readonly TimeSpan EmptyQueueRest = TimeSpan.FromSeconds(1);

    /// <summary>Free probe slots that make a receive worth it while runs are in flight: one receive per eighth of the slots, not per run.</summary>
    public static int RefillAt(int slots) => Math.Max(1, slots / 8);

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
        var runsInFlight = settings.Value.RunsInFlight;
        var probeRuns = new List<Task>();
        var deliveries = new List<Task>();
        var ingestions = new List<Task>();
        var resting = new Dictionary<string, DateTimeOffset>(StringComparer.Ordinal);
        // The last round asked every queue, resting or not.
        var swept = false;
        try
        {
            while (true)
            {
                var probed = await TakeAsync(probes, (m, ct) => runs.RunAsync(m, ct), probeRuns, runsInFlight, RefillAt(runsInFlight), resting, stopTaking, abandon).ConfigureAwait(false);
                var delivered = await TakeAsync(notifications, (m, ct) => dispatcher.DeliverAsync(m, ct), deliveries, MaxDeliveriesInFlight, 1, resting, stopTaking, abandon).ConfigureAwait(false);
                var ingested = await TakeAsync(reports, (m, ct) => ingestion.ProcessAsync(m, ct), ingestions, MaxReportsInFlight, 1, resting, stopTaking, abandon).ConfigureAwait(false);
                var taken = probed + delivered + ingested;
                handled += taken;
                swept = swept && taken == 0;
                if (probeRuns.Count + deliveries.Count + ingestions.Count == 0)
                {
                    if (swept || stopTaking.IsCancellationRequested || (taken == 0 && resting.Count == 0))
                    {
                        return handled;
                    }

                    // Nothing in hand: every queue is asked once more, resting or not, before the drain ends.
                    resting.Clear();
                    swept = true;
                    continue;
                }

                if (taken > 0 && (probeRuns.Count < runsInFlight || deliveries.Count < MaxDeliveriesInFlight || ingestions.Count < MaxReportsInFlight))
                {
                    // Room left, and the queue had messages: take more before waiting.
                    continue;
                }

                var done = await Task.WhenAny(probeRuns.Concat(deliveries).Concat(ingestions)).ConfigureAwait(false);
                probeRuns.Remove(done);
                deliveries.Remove(done);
                ingestions.Remove(done);
                await done.ConfigureAwait(false);
            }
        }
        finally
        {
            // Left early (storage failed, the messages in hand were abandoned): what still runs ends first.
            await Task.WhenAll(probeRuns.Concat(deliveries).Concat(ingestions).Select(t => t.ContinueWith(_ => { }, TaskScheduler.Default))).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Starts a handler for each message the queue gives, up to the queue's free slots
    /// (<paramref name="slots"/> in all); returns how many. Asks nothing while fewer than
    /// <paramref name="minimumFree"/> slots are free and some are busy, or while the queue rests
    /// (found empty within the last <see cref="EmptyQueueRest"/>, noted in <paramref name="resting"/>).
    /// </summary>
    private async Task<int> TakeAsync<T, TResult>(
        StorageQueue<T> queue, Func<T, CancellationToken, Task<TResult>> handle, List<Task> running, int slots, int minimumFree,
        Dictionary<string, DateTimeOffset> resting, CancellationToken stopTaking, CancellationToken cancellationToken)
        where T : class
    {
        var free = slots - running.Count;
        if (stopTaking.IsCancellationRequested || free <= 0 || (running.Count > 0 && free < minimumFree))
        {
            return 0;
        }

        var now = time.GetUtcNow();
        if (resting.TryGetValue(queue.Name, out var until) && now < until)
        {
            return 0;
        }

        IReadOnlyList<ReceivedMessage<T>> messages;
        try
        {
            // A receive returns at most 32 messages (the queue service's limit). It gets the storage
            // deadline like every other request: a receive that outlives the clients' own timeouts
            // (one was seen waiting over three minutes under heavy load) fails the drain, which the
            // host starts again, rather than holding every queue's work behind it.
            messages = await deadline.RunAsync(
                settings.Value.StorageDeadline,
                ct => queue.ReceiveAsync(Math.Min(32, free), settings.Value.MessageVisibilityTimeout, ct),
                stopTaking).ConfigureAwait(false);
        }
        catch (QueueMessageFormatException e)
        {
            // A message nobody can read: the queue's own poison handling takes it after its dequeues.
            LogUnreadable(logger, queue.Name, e);
            return 0;
        }
        catch (OperationCanceledException) when (stopTaking.IsCancellationRequested)
        {
            // Stopping: nothing more is taken, the messages in hand finish.
            return 0;
        }

        if (messages.Count == 0)
        {
            resting[queue.Name] = now + EmptyQueueRest;
        }
        else
        {
            resting.Remove(queue.Name);
        }

        running.AddRange(messages.Select(message => HandleAsync(queue, message, handle, cancellationToken)));
        return messages.Count;
    }

    private async Task HandleAsync<T, TResult>(StorageQueue<T> queue, ReceivedMessage<T> message, Func<T, CancellationToken, Task<TResult>> handle, CancellationToken cancellationToken)
        where T : class
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
    }

    [LoggerMessage(EventId = 2300, Level = LogLevel.Error, Message = "Message {MessageId} of {Queue} failed (attempt {DequeueCount}); it will be retried")]
    private static partial void LogFailed(ILogger logger, string queue, string messageId, long dequeueCount, Exception exception);

    [LoggerMessage(EventId = 2301, Level = LogLevel.Error, Message = "Message {MessageId} of {Queue} failed {DequeueCount} times and moved to the poison queue")]
    private static partial void LogPoisoned(ILogger logger, string queue, string messageId, long dequeueCount);

    [LoggerMessage(EventId = 2302, Level = LogLevel.Error, Message = "A message of {Queue} could not be read")]
    private static partial void LogUnreadable(ILogger logger, string queue, Exception exception);
}
