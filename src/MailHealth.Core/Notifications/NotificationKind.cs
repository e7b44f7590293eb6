namespace MailHealth.Notifications;

/// <summary>What a notification tells.</summary>
public enum NotificationKind
{
    AlertOpened = 0,
    AlertResolved = 1,
    Change = 2,

    /// <summary>A test a person asked for (<c>mailhealth notify test</c>, the API): about no target, never stored.</summary>
    Test = 3,
}
