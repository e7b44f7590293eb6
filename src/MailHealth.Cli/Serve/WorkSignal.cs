namespace MailHealth.Cli.Serve;

/// <summary>
/// Wakes the queue worker when this process has just queued work (a schedule tick), so a run
/// starts at once instead of after the idle pause; other processes find it at their next look.
/// </summary>
public sealed class WorkSignal
{
    private readonly SemaphoreSlim signal = new(0, 1);

    public void Notify()
    {
        try
        {
            signal.Release();
        }
        catch (SemaphoreFullException)
        {
            // Already signalled: one wake-up covers any number of notifications.
        }
    }

    /// <summary>Waits for <see cref="Notify"/> or <paramref name="pause"/>, whichever comes first.</summary>
    public async Task WaitAsync(TimeSpan pause, TimeProvider time, CancellationToken cancellationToken)
    {
        using var timeout = new CancellationTokenSource(pause, time);
        using var either = CancellationTokenSource.CreateLinkedTokenSource(timeout.Token, cancellationToken);
        try
        {
            await signal.WaitAsync(either.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            // The pause is over.
        }
    }
}
