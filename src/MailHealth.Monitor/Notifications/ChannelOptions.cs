using MailHealth.Checks;

namespace MailHealth.Monitor.Notifications;

/// <summary>
/// One named channel, bound from <c>MailHealth:Notifications:Channels:{name}</c>. Holds the secrets
/// (URL, signing key, password): they stay here and never travel with a notification.
/// </summary>
public sealed class ChannelOptions
{
    public ChannelType Type { get; set; } = ChannelType.Webhook;

    /// <summary>Webhook, Slack and Teams: where to POST. Secret (Slack and Teams URLs carry their key in the path).</summary>
    public string? Url { get; set; }

    /// <summary>Webhook: the HMAC-SHA256 signing key, at least 16 characters. Secret.</summary>
    public string? Secret { get; set; }

    /// <summary>E-mail: the submission server's host name or address.</summary>
    public string? Host { get; set; }

    /// <summary>E-mail: 587 (STARTTLS) or 465 (implicit TLS). Default 587.</summary>
    public int Port { get; set; } = 587;

    /// <summary>E-mail: default <see cref="EmailSecurity.Auto"/> (465 implicit TLS, otherwise STARTTLS).</summary>
    public EmailSecurity Security { get; set; } = EmailSecurity.Auto;

    /// <summary>E-mail: the AUTH user name.</summary>
    public string? UserName { get; set; }

    /// <summary>E-mail: the AUTH password. Secret.</summary>
    public string? Password { get; set; }

    /// <summary>E-mail: the sender address (<c>monitor@example.com</c> or <c>MailHealth &lt;monitor@example.com&gt;</c>).</summary>
    public string? From { get; set; }

    /// <summary>E-mail: one or more recipient addresses.</summary>
    public IList<string> To { get; set; } = [];

    /// <summary>E-mail: a PEM file of extra trusted CA certificates (a private CA), besides the system's roots.</summary>
    public string? CaFile { get; set; }

    /// <summary>How long one delivery attempt may take. Default 30 s, range 1 s - 10 min.</summary>
    public TimeSpan Timeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>The channel receives notifications of targets having any of these tags; empty: every target.</summary>
    public IList<string> Tags { get; set; } = [];

    /// <summary>What the channel subscribes to; empty (the default): alerts only.</summary>
    public IList<NotificationEvent> Events { get; set; } = [];

    /// <summary>Alerts below this severity are not sent to this channel. Default info (every alert). Change events have no severity and are not filtered by it.</summary>
    public Severity MinimumSeverity { get; set; } = Severity.Info;

    /// <summary>Whether the channel subscribes to <paramref name="kind"/> (empty <see cref="Events"/> means alerts only).</summary>
    public bool Receives(NotificationEvent kind) => Events.Count == 0 ? kind == NotificationEvent.Alerts : Events.Contains(kind);

    /// <summary>Whether a target with <paramref name="targetTags"/> is routed here (ordinal, case-insensitive).</summary>
    public bool Covers(IEnumerable<string> targetTags) =>
        Tags.Count == 0 || targetTags.Any(tag => Tags.Contains(tag, StringComparer.OrdinalIgnoreCase));
}
