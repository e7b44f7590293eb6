namespace MailHealth.Storage.ReceiverReports;

/// <summary>
/// Which reports to list (<see cref="ReportInputLog.ListAsync"/>): those of inputs received from
/// <see cref="From"/> to <see cref="To"/>, of one policy domain and one outcome when given, newest first.
/// </summary>
public sealed record ReportInputQuery(DateTimeOffset From, DateTimeOffset To)
{
    /// <summary>The policy domain, lower case; null: every domain (and inputs holding no report).</summary>
    public string? PolicyDomain { get; init; }

    public ReportOutcomeStatus? Status { get; init; }

    public int PageSize { get; init; } = 100;

    public string? ContinuationToken { get; init; }
}
