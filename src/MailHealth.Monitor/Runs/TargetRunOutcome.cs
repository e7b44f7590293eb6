using MailHealth.Alerts;
using MailHealth.Changes;
using MailHealth.Reports;
using MailHealth.Runs;

namespace MailHealth.Monitor.Runs;

/// <summary>What one probe request led to: the stored run, its change events, alert transitions and notifications; or why nothing ran.</summary>
public sealed record TargetRunOutcome
{
    public required RunId RunId { get; init; }

    /// <summary>Null when the target was not run (see <see cref="SkippedBecause"/>).</summary>
    public Report? Report { get; init; }

    public string? SkippedBecause { get; init; }

    public IReadOnlyList<ChangeEvent> Changes { get; init; } = [];

    public IReadOnlyList<AlertTransition> Transitions { get; init; } = [];

    /// <summary>Notifications put in the outbox and on the queue by this run (already delivered ones are not sent again).</summary>
    public int NotificationsQueued { get; init; }
}
