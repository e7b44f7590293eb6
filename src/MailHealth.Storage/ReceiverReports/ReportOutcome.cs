namespace MailHealth.Storage.ReceiverReports;

/// <summary>What became of one report found in an input (or of an input that holds none).</summary>
public enum ReportOutcomeStatus
{
    /// <summary>Committed: it counts in the totals.</summary>
    Stored,

    /// <summary>A report of the same identity was committed before (a re-delivery): nothing of it counts again.</summary>
    Duplicate,

    /// <summary>Not a report, or one that could not be read whole: <see cref="ReportOutcome.Reason"/> says why; nothing of it counts.</summary>
    Invalid,
}

/// <summary>
/// One report of an input as processed: where in the input it was, its identity when it could be
/// read, what became of it and why, what it held, and the targets that monitor its domain.
/// </summary>
public sealed record ReportOutcome
{
    /// <summary>Its place among the input's reports, from 0.</summary>
    public int Index { get; init; }

    /// <summary>Where in the input (<c>attachment 'a.zip', entry 'a.xml'</c>); null for the input itself.</summary>
    public string? Part { get; init; }

    /// <summary><c>dmarc</c> or <c>tlsrpt</c>; null when it is no report of either kind.</summary>
    public string? Kind { get; init; }

    public required ReportOutcomeStatus Status { get; init; }

    /// <summary>Why it is invalid, or whose duplicate it is.</summary>
    public string? Reason { get; init; }

    public string? OrgName { get; init; }

    public string? ReportId { get; init; }

    public string? PolicyDomain { get; init; }

    public DateTimeOffset? Begin { get; init; }

    public DateTimeOffset? End { get; init; }

    /// <summary>The identity's key, when the identity could be read.</summary>
    public string? ReportKey { get; init; }

    /// <summary>Records read (aggregate report) or policies (TLS report).</summary>
    public long Records { get; init; }

    public int DroppedRecords { get; init; }

    /// <summary>An aggregate report's messages.</summary>
    public double? Messages { get; init; }

    /// <summary>An aggregate report's messages that passed DMARC.</summary>
    public double? DmarcPass { get; init; }

    /// <summary>A TLS report's successful sessions.</summary>
    public double? SuccessfulSessions { get; init; }

    /// <summary>A TLS report's failed sessions.</summary>
    public double? FailedSessions { get; init; }

    public IReadOnlyList<string> Warnings { get; init; } = [];

    /// <summary>For a duplicate: the input that committed the report first.</summary>
    public string? DuplicateOf { get; init; }

    /// <summary>The targets that monitored the policy domain when it was processed; none: unmatched (kept, and counted for a target added later).</summary>
    public IReadOnlyList<string> Targets { get; init; } = [];
}
