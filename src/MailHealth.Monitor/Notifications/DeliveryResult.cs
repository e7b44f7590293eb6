using MailHealth.Network;

namespace MailHealth.Monitor.Notifications;

/// <summary>
/// The outcome of one delivery attempt. <see cref="Reason"/> is safe to store, log and show: it
/// never contains the channel's URL, signing key or password (built from status codes and error
/// kinds, never from exception messages).
/// </summary>
public sealed record DeliveryResult
{
    /// <summary>The longest <see cref="Answer"/> kept: enough for a status and a sentence of explanation.</summary>
    public const int MaxAnswerLength = 300;

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

    /// <summary>
    /// What the receiver answered, an excerpt on one line (<c>HTTP 500 Internal Server Error: queue
    /// full</c>, <c>250 2.0.0 Ok: queued as 4Fz1</c>); null when it answered nothing (no connection,
    /// no answer in time). The receiver's own words, which may quote the request: shown to whoever
    /// asked for a test (<see cref="NotificationTester"/>), never stored or logged as <see cref="Reason"/> is.
    /// </summary>
    public string? Answer { get; private init; }

    public static DeliveryResult Delivered { get; } = new(DeliveryOutcome.Delivered, null, null);

    public static DeliveryResult RetryableFailure(string reason, TimeSpan? retryAfter = null) =>
        new(DeliveryOutcome.RetryableFailure, reason, retryAfter);

    public static DeliveryResult PermanentFailure(string reason) => new(DeliveryOutcome.PermanentFailure, reason, null);

    /// <summary>This result with the receiver's <paramref name="answer"/> on one line (control characters and runs of white space as one space), cut at <see cref="MaxAnswerLength"/>.</summary>
    public DeliveryResult WithAnswer(string answer)
    {
        ArgumentNullException.ThrowIfNull(answer);
        var spaced = string.Create(answer.Length, answer, (span, text) =>
        {
            for (var i = 0; i < text.Length; i++)
            {
                span[i] = char.IsControl(text[i]) ? ' ' : text[i];
            }
        });
        var line = string.Join(' ', spaced.Split((char[]?)null, StringSplitOptions.RemoveEmptyEntries));
        return this with { Answer = line.Length <= MaxAnswerLength ? line : line[..(MaxAnswerLength - 1)] + "\u2026" };
    }

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
