using MailHealth.Network;

namespace MailHealth.Monitor.Notifications;

/// <summary>
/// The outcome of one delivery attempt. <see cref="Reason"/> is safe to store, log and show: it
/// never contains the channel's URL, signing key or password (built from status codes and error
/// kinds, never from exception messages).
/// </summary>
public sealed record DeliveryResult
{
    private DeliveryResult(DeliveryOutcome outcome, string? reason, TimeSpan? retryAfter)
    {
        Outcome = outcome;
        Reason = reason;
        RetryAfter = retryAfter;
    }

    public DeliveryOutcome Outcome { get; }

    /// <summary>Why it failed; null when delivered.</summary>
    public string? Reason { get; }

    /// <summary>What the receiver asked for (HTTP Retry-After) on a retryable failure; null when it said nothing.</summary>
    public TimeSpan? RetryAfter { get; }

    public static DeliveryResult Delivered { get; } = new(DeliveryOutcome.Delivered, null, null);

    public static DeliveryResult RetryableFailure(string reason, TimeSpan? retryAfter = null) =>
        new(DeliveryOutcome.RetryableFailure, reason, retryAfter);

    public static DeliveryResult PermanentFailure(string reason) => new(DeliveryOutcome.PermanentFailure, reason, null);

    /// <summary>
    /// The address policy refused every address of the receiver or server (docs/address-policy.md):
    /// permanent, since retrying does not change the policy. The reason names the ranges only: the
    /// host and its address belong to the URL, a secret.
    /// </summary>
    public static DeliveryResult NotAllowed(AddressRefusedException refused)
    {
        ArgumentNullException.ThrowIfNull(refused);
        return PermanentFailure($"not connected: the destination's addresses are {string.Join("; ", refused.Verdicts.Select(v => v.RangeRefusal).Distinct())}");
    }

    public override string ToString() => Reason is null ? Outcome.ToString() : $"{Outcome}: {Reason}";
}
