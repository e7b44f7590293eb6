namespace MailHealth.Monitor.Notifications;

/// <summary>What a channel subscribes to.</summary>
public enum NotificationEvent
{
    /// <summary>Alerts opened and resolved.</summary>
    Alerts = 0,

    /// <summary>Change events (drift): a record or certificate that differs from the previous run.</summary>
    Changes = 1,
}
