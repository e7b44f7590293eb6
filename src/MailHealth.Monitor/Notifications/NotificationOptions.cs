namespace MailHealth.Monitor.Notifications;

/// <summary>Everything under <c>MailHealth:Notifications</c>: the named channels and the retry schedule.</summary>
public sealed class NotificationOptions
{
    public const string SectionPath = "MailHealth:Notifications";

    /// <summary>Channels by name (letters, digits, '-' and '_'; names compare case-insensitively, as configuration keys do).</summary>
    public IDictionary<string, ChannelOptions> Channels { get; set; } = new Dictionary<string, ChannelOptions>(StringComparer.OrdinalIgnoreCase);

    public NotificationRetryOptions Retry { get; set; } = new();
}
