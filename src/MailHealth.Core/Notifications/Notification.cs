using MailHealth.Checks;

namespace MailHealth.Notifications;

/// <summary>
/// One thing to tell one channel. <see cref="Id"/> is deterministic (from the alert transition or
/// change event and the channel), so a retried run enqueues the same notification, not a second.
/// Holds no secret: the channel's URL, key or password stay in configuration, found by <see cref="Channel"/>.
/// </summary>
public sealed record Notification
{
    public required string Id { get; init; }

    /// <summary>The configured channel's name.</summary>
    public required string Channel { get; init; }

    public required NotificationKind Kind { get; init; }

    /// <summary>Empty for a <see cref="NotificationKind.Test"/>, which is about no target.</summary>
    public required string TargetId { get; init; }

    /// <summary>Empty for a <see cref="NotificationKind.Test"/>.</summary>
    public required string Domain { get; init; }

    public IReadOnlyList<string> Tags { get; init; } = [];

    /// <summary>One line: "[CRITICAL] example.com: TLS_CERT_EXPIRED on mx1.example.com:25".</summary>
    public required string Title { get; init; }

    /// <summary>The finding's or the change's message.</summary>
    public required string Text { get; init; }

    /// <summary>How to fix the finding, as the dashboard shows it (docs/findings.md); opened alerts only, null when the code has no fix text.</summary>
    public string? Fix { get; init; }

    /// <summary>The target's page on the dashboard (a test: the dashboard itself); null when the monitor's public URL is not configured.</summary>
    public string? Link { get; init; }

    public Severity? Severity { get; init; }

    public string? Code { get; init; }

    public string? Subject { get; init; }

    public string? AlertId { get; init; }

    public string? RunId { get; init; }

    /// <summary>When the event happened (not when it is sent).</summary>
    public required DateTimeOffset At { get; init; }
}
