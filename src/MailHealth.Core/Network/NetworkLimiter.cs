namespace MailHealth.Network;

/// <summary>
/// A process-wide bound on concurrent network work, shared by every target of a fleet run,
/// besides each run's own bound: one for connections (SMTP probes, HTTPS fetches), another for
/// DNS questions (the resolver's own), so a question never waits behind a conversation. An
/// operation nested in one that already holds a slot of the same limiter runs in that slot:
/// taking a second one could deadlock a full limiter.
/// </summary>
public sealed class NetworkLimiter : IDisposable
{
    /// <summary>Default process-wide limit (MailHealth:Network:MaxConcurrency).</summary>
    public const int DefaultMaxConcurrency = 256;

    private readonly SemaphoreSlim? _slots;
    private readonly AsyncLocal<bool> _held = new();

    /// <param name="maxConcurrency">Operations at once; 0 means unbounded.</param>
    public NetworkLimiter(int maxConcurrency)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(maxConcurrency);
        MaxConcurrency = maxConcurrency;
        _slots = maxConcurrency == 0 ? null : new SemaphoreSlim(maxConcurrency, maxConcurrency);
    }

    /// <summary>No bound: for a single check in a test or a tool.</summary>
    public static NetworkLimiter Unbounded { get; } = new(0);

    public int MaxConcurrency { get; }

    /// <summary>Operations running now (0 when unbounded).</summary>
    public int InUse => _slots is null ? 0 : MaxConcurrency - _slots.CurrentCount;

    /// <summary>Runs <paramref name="operation"/> in a slot, waiting for one if all are taken.</summary>
    public async Task<T> RunAsync<T>(Func<CancellationToken, Task<T>> operation, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(operation);
        if (_slots is null || _held.Value)
        {
            return await operation(cancellationToken).ConfigureAwait(false);
        }

        await _slots.WaitAsync(cancellationToken).ConfigureAwait(false);
        try
        {
            // Set inside this async flow only: the operation's awaits see it, the caller's do not.
            _held.Value = true;
            return await operation(cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            _held.Value = false;
            _slots.Release();
        }
    }

    public void Dispose() => _slots?.Dispose();
}
