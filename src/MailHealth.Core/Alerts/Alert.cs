using System.Text.Json.Serialization;
using MailHealth.Checks;

namespace MailHealth.Alerts;

/// <summary>
/// The state of one alert after some run: counters for flap damping, and when it opened, resolved
/// or was acknowledged. Immutable: the state machine returns a new one for every change.
/// </summary>
public sealed record Alert
{
    public required AlertKey Key { get; init; }

    public string Id => Key.Id;

    /// <summary>The check whose result carries the finding; when that check ends in error the alert neither advances nor resolves.</summary>
    public required string CheckId { get; init; }

    public required Severity Severity { get; init; }

    /// <summary>The finding's message the last time it was seen.</summary>
    public required string Message { get; init; }

    public required AlertStatus Status { get; init; }

    /// <summary>Runs in a row with the finding (reset by a clean run).</summary>
    public int ConsecutiveSeen { get; init; }

    /// <summary>Runs in a row without the finding (reset when it is seen again).</summary>
    public int ConsecutiveClean { get; init; }

    public required DateTimeOffset FirstSeenAt { get; init; }

    public required DateTimeOffset LastSeenAt { get; init; }

    public DateTimeOffset? OpenedAt { get; init; }

    public string? OpenedRunId { get; init; }

    public DateTimeOffset? ResolvedAt { get; init; }

    public string? ResolvedRunId { get; init; }

    public DateTimeOffset? AcknowledgedAt { get; init; }

    /// <summary>Who acknowledged, as they said (free text, not a secret).</summary>
    public string? AcknowledgedBy { get; init; }

    /// <summary>
    /// The run whose evaluation last wrote this state. A run counts once for each alert: when the
    /// save of a run's alerts was cut between its transactions (more than 100 operations) and the
    /// run is evaluated again, the alerts already written are left as they are. Storage's
    /// bookkeeping, not part of the API's alert.
    /// </summary>
    [JsonIgnore]
    public string? LastRunId { get; init; }
}
