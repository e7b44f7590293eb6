namespace MailHealth.Storage.Notifications;

/// <summary>Where a notification is on its way to its channel.</summary>
public enum OutboxState
{
    /// <summary>Not delivered yet; attempted again at <see cref="OutboxEntry.NextAttemptAt"/>.</summary>
    Pending = 0,

    /// <summary>The channel accepted it.</summary>
    Delivered = 1,

    /// <summary>Every attempt failed: visible as failed, never silently dropped.</summary>
    Failed = 2,
}
