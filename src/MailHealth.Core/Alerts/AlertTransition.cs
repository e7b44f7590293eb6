using MailHealth.Checks;

namespace MailHealth.Alerts;

/// <summary>One change of an alert's state, kept forever with the alert's history.</summary>
/// <param name="AlertId">The alert's <see cref="AlertKey.Id"/>.</param>
/// <param name="Key">What the alert is about.</param>
/// <param name="Kind">Opened, resolved, acknowledged.</param>
/// <param name="At">When (the run's finish time, or the acknowledgement's time).</param>
/// <param name="RunId">The run that caused it; null for an acknowledgement.</param>
/// <param name="Severity">The finding's severity at that time.</param>
/// <param name="Message">The finding's message (for Opened), or what closed it.</param>
public sealed record AlertTransition(
    string AlertId,
    AlertKey Key,
    AlertTransitionKind Kind,
    DateTimeOffset At,
    string? RunId,
    Severity Severity,
    string Message);
