namespace MailHealth.Storage.Availability;

/// <summary>
/// How long a caller waits for storage in all, whatever the clients' own retries would still try:
/// an API request a few seconds, a run's writes and the schedule's tick longer. When the deadline
/// passes first, the caller gets a <see cref="StorageUnavailableException"/> (the outage it is, not
/// a cancellation of its own) and <see cref="StorageAvailability"/> hears of it; the caller's own
/// cancellation stays a cancellation.
/// </summary>
public sealed class StorageDeadline(StorageAvailability availability, TimeProvider time)
{
    public async Task<T> RunAsync<T>(TimeSpan limit, Func<CancellationToken, Task<T>> work, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(work);
        using var deadline = new CancellationTokenSource(limit, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        try
        {
            return await work(linked.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException e) when (deadline.IsCancellationRequested && !cancellationToken.IsCancellationRequested)
        {
            var reason = $"storage did not answer within {Seconds(limit)}";
            availability.Failed(reason);
            throw new StorageUnavailableException(reason, e);
        }
    }

    public Task RunAsync(TimeSpan limit, Func<CancellationToken, Task> work, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(work);
        return RunAsync(
            limit,
            async ct =>
            {
                await work(ct).ConfigureAwait(false);
                return true;
            },
            cancellationToken);
    }

    private static string Seconds(TimeSpan limit) =>
        limit.TotalSeconds.ToString("0.###", System.Globalization.CultureInfo.InvariantCulture) + " s";
}
