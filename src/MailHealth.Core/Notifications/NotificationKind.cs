namespace MailHealth.Notifications;

/// <summary>What a notification tells.</summary>
public enum NotificationKind
{
    AlertOpened = 0,
    AlertResolved = 1,
    Change = 2,
}
