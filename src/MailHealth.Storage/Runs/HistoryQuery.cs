namespace MailHealth.Storage.Runs;

/// <summary>
/// A page of one target's history, newest first. <see cref="From"/> and <see cref="To"/> bound
/// the runs' schedule slots, both inclusive, either open. With <see cref="CheckId"/> only runs
/// that have that check are returned, each with that check alone; such a page may hold fewer than
/// <see cref="PageSize"/> runs and still have a continuation.
/// </summary>
public sealed record HistoryQuery(string TargetId)
{
    public DateTimeOffset? From { get; init; }

    public DateTimeOffset? To { get; init; }

    public string? CheckId { get; init; }

    /// <summary>1-1000; default 50.</summary>
    public int PageSize { get; init; } = 50;

    public string? ContinuationToken { get; init; }
}
