namespace MailHealth.Alerts;

/// <summary>How an acknowledgement ended.</summary>
public enum AcknowledgeOutcome
{
    /// <summary>The open alert is now acknowledged; store the alert and the transition.</summary>
    Acknowledged = 0,

    /// <summary>The alert was acknowledged before: nothing changes (a retried request is harmless).</summary>
    AlreadyAcknowledged = 1,

    /// <summary>The alert is pending or resolved: only an open alert can be acknowledged.</summary>
    NotOpen = 2,

    /// <summary>No one was named as acknowledging it.</summary>
    ByRequired = 3,
}
