namespace MailHealth.Monitor.Notifications;

/// <summary>What became of a channel's test notification, as a person reads it.</summary>
public enum ChannelTestOutcome
{
    /// <summary>The receiver took it (HTTP 2xx, SMTP 250 after DATA).</summary>
    Delivered = 0,

    /// <summary>The receiver answered and did not take it (an HTTP error status, an SMTP error reply, a refused login).</summary>
    Refused = 1,

    /// <summary>No answer came: no connection, a TLS failure, nothing within the channel's Timeout.</summary>
    Failed = 2,
}
