namespace MailHealth.Alerts;

/// <summary>The result of <see cref="AlertEvaluator.Acknowledge"/>.</summary>
/// <param name="Outcome">What happened.</param>
/// <param name="Alert">The alert after it: acknowledged, or unchanged when nothing happened.</param>
/// <param name="Transition">The Acknowledged transition to store; null unless <see cref="AcknowledgeOutcome.Acknowledged"/>.</param>
/// <param name="Error">Why it was refused, for the caller to show; null when it was not.</param>
public sealed record AlertAcknowledgement(AcknowledgeOutcome Outcome, Alert Alert, AlertTransition? Transition, string? Error)
{
    /// <summary>True when the alert is acknowledged now (this time or before).</summary>
    public bool Succeeded => Outcome is AcknowledgeOutcome.Acknowledged or AcknowledgeOutcome.AlreadyAcknowledged;
}
