namespace MailHealth.Storage.Changes;

/// <summary>
/// A page of change events, newest first. <see cref="TargetId"/> null: across all targets (the
/// index partition). <see cref="From"/> and <see cref="To"/> bound the time of the run that saw
/// the change (its schedule slot), both inclusive, either open.
/// </summary>
public sealed record ChangeEventQuery
{
    public string? TargetId { get; init; }

    public DateTimeOffset? From { get; init; }

    public DateTimeOffset? To { get; init; }

    /// <summary>1-1000; default 100.</summary>
    public int PageSize { get; init; } = 100;

    public string? ContinuationToken { get; init; }
}
