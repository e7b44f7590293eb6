namespace MailHealth.Monitor.Notifications;

/// <summary>How often and how long a failing notification is retried, bound from <c>MailHealth:Notifications:Retry</c>.</summary>
public sealed class NotificationRetryOptions
{
    /// <summary>Attempts in all, the first included. Default 6, range 1-100.</summary>
    public int MaxAttempts { get; set; } = 6;

    /// <summary>The delay before the second attempt (before jitter). Default 30 s, range 1 s - 1 day.</summary>
    public TimeSpan InitialBackoff { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>No delay grows past this (before jitter). Default 30 min, range InitialBackoff - 1 day.</summary>
    public TimeSpan MaxBackoff { get; set; } = TimeSpan.FromMinutes(30);
}
