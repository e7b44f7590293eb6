using Microsoft.Extensions.Options;

namespace MailHealth.Monitor.Notifications;

/// <summary>
/// When to try a failed notification again: exponential backoff (InitialBackoff x 2^(attempt-1),
/// capped at MaxBackoff) with "equal jitter" (the delay is uniform in [d/2, d]) so that many
/// notifications failing together do not all come back at the same second. The randomness is
/// injected, so a seeded <see cref="Random"/> gives a reproducible schedule.
/// </summary>
public sealed class RetryPolicy
{
    /// <summary>A receiver's Retry-After is honoured up to this, whatever it says.</summary>
    public static readonly TimeSpan MaxRetryAfter = TimeSpan.FromDays(1);

    private readonly NotificationRetryOptions _options;
    private readonly Random _random;
    private readonly Lock _gate = new();

    public RetryPolicy(NotificationRetryOptions options, Random random)
    {
        _options = options;
        _random = random;
    }

    public RetryPolicy(IOptions<NotificationOptions> options, Random random)
        : this(options.Value.Retry, random)
    {
    }

    public int MaxAttempts => _options.MaxAttempts;

    /// <summary>
    /// The delay before the next attempt, after <paramref name="attempt"/> attempts (1 = the first
    /// one) have failed; null when that was the last allowed attempt: the notification is then
    /// failed (kept and shown as failed, never dropped).
    /// </summary>
    public TimeSpan? NextAttemptDelay(int attempt) => NextAttemptDelay(attempt, retryAfter: null);

    /// <summary>As <see cref="NextAttemptDelay(int)"/>, never sooner than the receiver's Retry-After (RFC 9110 section 10.2.3), which is honoured up to <see cref="MaxRetryAfter"/>.</summary>
    public TimeSpan? NextAttemptDelay(int attempt, TimeSpan? retryAfter)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(attempt, 1);
        if (attempt >= _options.MaxAttempts)
        {
            return null;
        }

        var ceiling = Backoff(attempt);
        double fraction;
        lock (_gate)
        {
            fraction = _random.NextDouble();
        }

        var delay = ceiling / 2 + ceiling / 2 * fraction;
        if (retryAfter is { } asked && asked > delay)
        {
            delay = asked < MaxRetryAfter ? asked : MaxRetryAfter;
        }

        return delay;
    }

    /// <summary>
    /// The outbox's one question after an attempt: the delay before the next one, or null when
    /// there is none (delivered; a permanent failure; or the last allowed attempt failed, and the
    /// notification is then failed).
    /// </summary>
    public TimeSpan? NextAttemptDelay(int attempt, DeliveryResult result) =>
        result.Outcome == DeliveryOutcome.RetryableFailure ? NextAttemptDelay(attempt, result.RetryAfter) : null;

    /// <summary>The delay before jitter: InitialBackoff doubled per failed attempt, never past MaxBackoff.</summary>
    public TimeSpan Backoff(int attempt)
    {
        var ticks = (double)_options.InitialBackoff.Ticks * Math.Pow(2, Math.Min(attempt - 1, 62));
        return ticks >= _options.MaxBackoff.Ticks ? _options.MaxBackoff : TimeSpan.FromTicks((long)ticks);
    }
}
