namespace MailHealth.Storage.ReceiverReports;

/// <summary>Whether an input's reports were processed yet.</summary>
public enum ReportInputState
{
    /// <summary>Stored, waiting for (or in) processing.</summary>
    Received,

    /// <summary>Every report in it has its outcome.</summary>
    Processed,
}

/// <summary>One input as received (its id is the SHA-256 of its bytes) and, once processed, what became of each report in it.</summary>
public sealed record ReportInputRecord
{
    public required string Input { get; init; }

    public required DateTimeOffset ReceivedAt { get; init; }

    /// <summary><c>api</c>, <c>cli</c> or <c>mailbox</c>.</summary>
    public required string Door { get; init; }

    public long Bytes { get; init; }

    public ReportInputState State { get; init; }

    public DateTimeOffset? ProcessedAt { get; init; }

    public IReadOnlyList<ReportOutcome> Reports { get; init; } = [];
}
