using MailHealth.Notifications;

namespace MailHealth.Storage.Notifications;

/// <summary>A notification in the outbox and how its delivery went. <see cref="ETag"/> makes updates conditional.</summary>
public sealed record OutboxEntry
{
    public required Notification Notification { get; init; }

    public required OutboxState State { get; init; }

    public int Attempts { get; init; }

    public required DateTimeOffset CreatedAt { get; init; }

    /// <summary>When the next attempt is due (pending only).</summary>
    public DateTimeOffset? NextAttemptAt { get; init; }

    /// <summary>The last failure, without secrets (URLs are redacted by the store as well).</summary>
    public string? LastError { get; init; }

    public DateTimeOffset? DeliveredAt { get; init; }

    public string ETag { get; init; } = "";
}
