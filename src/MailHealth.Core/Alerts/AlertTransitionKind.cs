namespace MailHealth.Alerts;

/// <summary>What happened to an alert. Opened and Resolved notify; the others are history only.</summary>
public enum AlertTransitionKind
{
    Opened = 0,
    Resolved = 1,
    Acknowledged = 2,
}
