namespace MailHealth.Cli.Serve;

/// <summary>
/// Wakes the queue worker when this process has just queued work (a schedule tick), so a run
/// starts at once instead of after the idle pause; other processes find it at their next look.
/// Nothing here throws on its usual paths: an idle worker ends a pause about once a second, and a
/// cancelled wait (a semaphore's, say) throws inside the runtime each time, which would fill the
/// process's exception counters with noise.
/// </summary>
public sealed class WorkSignal
{
    private TaskCompletionSource wake = NewWake();

    /// <summary>Wakes the worker's current or next wait; one wake-up covers any number of notifications.</summary>
    public void Notify() => Volatile.Read(ref wake).TrySetResult();

    /// <summary>Waits for <see cref="Notify"/> or <paramref name="pause"/>, whichever comes first; throws only when <paramref name="cancellationToken"/> is cancelled.</summary>
    public async Task WaitAsync(TimeSpan pause, TimeProvider time, CancellationToken cancellationToken)
    {
        var current = Volatile.Read(ref wake);
        if (!current.Task.IsCompleted)
        {
            using var pauseEnds = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
            await Task.WhenAny(current.Task, Task.Delay(pause, time, pauseEnds.Token)).ConfigureAwait(false);
            // Woken early: the pause's timer goes now rather than when it would have fired.
            await pauseEnds.CancelAsync().ConfigureAwait(false);
        }

        cancellationToken.ThrowIfCancellationRequested();
        if (current.Task.IsCompleted)
        {
            // The wake-up is taken; a notification from now on wakes the next wait. The work it
            // announces was queued before it, so the look that follows this wait finds that too.
            Interlocked.CompareExchange(ref wake, NewWake(), current);
        }
    }

    private static TaskCompletionSource NewWake() => new(TaskCreationOptions.RunContinuationsAsynchronously);
}
