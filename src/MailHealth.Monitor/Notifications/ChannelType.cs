namespace MailHealth.Monitor.Notifications;

/// <summary>How a channel delivers: which payload format and which transport.</summary>
public enum ChannelType
{
    /// <summary>Generic JSON webhook, signed with HMAC-SHA256 (header X-MailHealth-Signature).</summary>
    Webhook = 0,

    /// <summary>Slack incoming webhook (text and blocks).</summary>
    Slack = 1,

    /// <summary>Microsoft Teams Workflows webhook (a message carrying an Adaptive Card).</summary>
    Teams = 2,

    /// <summary>E-mail through an SMTP submission server (587 STARTTLS or 465 implicit TLS, with AUTH).</summary>
    Email = 3,
}
