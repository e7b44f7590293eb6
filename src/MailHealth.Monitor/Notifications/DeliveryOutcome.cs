namespace MailHealth.Monitor.Notifications;

/// <summary>How one delivery attempt ended.</summary>
public enum DeliveryOutcome
{
    /// <summary>The channel accepted it (HTTP 2xx, SMTP 250 after DATA).</summary>
    Delivered = 0,

    /// <summary>It may work later (HTTP 408, 429, 5xx, a timeout, a connection error, SMTP 4xx): retry after a delay.</summary>
    RetryableFailure = 1,

    /// <summary>It will not work without a change of configuration (other HTTP 4xx, SMTP 5xx, failed AUTH): do not retry.</summary>
    PermanentFailure = 2,
}
