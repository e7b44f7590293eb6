namespace MailHealth.ReceiverReports;

/// <summary>
/// One report found in an input, or an input that holds none: its kind, whether it could be read,
/// why not, what deviated, and the normalised report. A DMARC report's records stream from the
/// input as <see cref="AggregateReport.Records"/> is enumerated, so its <see cref="Status"/> is
/// final only once they have been read: a document truncated after 500,000 rows turns invalid at
/// the cut. <see cref="ReportInputReader"/> reads whatever the caller left unread before it moves to
/// the next report.
/// </summary>
public sealed class ReceivedReport
{
    private ReceivedReport(string? part, ReceivedReportKind? kind, ReportWarnings warnings)
    {
        Part = part;
        Kind = kind;
        Warnings = warnings;
    }

    /// <summary>Where in the input the report was (<c>attachment 'a.zip', entry 'a.xml'</c>); null for the input itself.</summary>
    public string? Part { get; }

    /// <summary>Null when the input, or this part of it, is no report of either kind.</summary>
    public ReceivedReportKind? Kind { get; }

    public ReceivedReportStatus Status { get; private set; }

    /// <summary>Why the report is invalid; null when parsed.</summary>
    public string? Reason { get; private set; }

    /// <summary>Deviations that were read past, and records dropped.</summary>
    public ReportWarnings Warnings { get; }

    /// <summary>The DMARC aggregate report when <see cref="Kind"/> is <see cref="ReceivedReportKind.Dmarc"/> and its metadata could be read.</summary>
    public AggregateReport? Aggregate { get; private init; }

    /// <summary>The TLS report when <see cref="Kind"/> is <see cref="ReceivedReportKind.TlsRpt"/> and it could be read.</summary>
    public TlsReport? Tls { get; private init; }

    internal static ReceivedReport Invalid(string? part, ReceivedReportKind? kind, string reason, ReportWarnings? warnings = null) =>
        new(part, kind, warnings ?? new ReportWarnings()) { Status = ReceivedReportStatus.Invalid, Reason = reason };

    internal static ReceivedReport Of(string? part, AggregateReport report, ReportWarnings warnings) =>
        new(part, ReceivedReportKind.Dmarc, warnings) { Aggregate = report };

    internal static ReceivedReport Of(string? part, TlsReport report, ReportWarnings warnings) =>
        new(part, ReceivedReportKind.TlsRpt, warnings) { Tls = report };

    /// <summary>A report whose records stop being readable part way (truncated, malformed, over a cap).</summary>
    internal void Invalidate(string reason)
    {
        Status = ReceivedReportStatus.Invalid;
        Reason ??= reason;
    }

    /// <summary>Reads the records nobody read, so that <see cref="Status"/> is final, and releases the input.</summary>
    internal void Finish() => Aggregate?.FinishRecords();
}
