using MailHealth.ReportTotals;

namespace MailHealth.ReceiverFindings;

/// <summary>
/// What the monitor knows of a domain from receivers' reports and from its own run, the input of
/// <see cref="ReceiverFindingEvaluator"/>: read by the monitor, judged by pure code.
/// </summary>
public sealed record ReceiverView
{
    public required string Domain { get; init; }

    /// <summary>The day of the run (UTC): reports cover days before it.</summary>
    public required DateOnly Today { get; init; }

    /// <summary>Each source of the aggregate reports over the window of <see cref="ReceiverFindingSettings.WindowDays"/>.</summary>
    public IReadOnlyList<ReceiverSource> Sources { get; init; } = [];

    /// <summary>Days of that window with aggregate reports: what a source's messages a day are counted over.</summary>
    public int SourceReportDays { get; init; }

    /// <summary>The domain's aggregate reports added up per day, over <see cref="ReceiverFindingSettings.ReadyDays"/>.</summary>
    public IReadOnlyList<ReceiverDay> Days { get; init; } = [];

    /// <summary>The last day an aggregate report covered; null when none ever did.</summary>
    public DateOnly? LastReportDay { get; init; }

    /// <summary>Since when the monitor has seen the domain's rua name its mailbox, for a domain that never had a report.</summary>
    public DateOnly? WatchedSince { get; init; }

    /// <summary>The p= of the domain's DMARC record as this run's <c>dmarc</c> check read it ("none", "quarantine", "reject"); null when unknown.</summary>
    public string? Policy { get; init; }

    /// <summary>The rua= URIs of the domain's DMARC record as this run read them.</summary>
    public IReadOnlyList<string> Rua { get; init; } = [];

    /// <summary>Failed sessions receivers' TLS reports counted over the window, per MX host and result type.</summary>
    public IReadOnlyList<ReportedTlsFailure> TlsFailures { get; init; } = [];

    /// <summary>The findings this run's own SMTP probe raised per MX host (lower case, no trailing dot).</summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> ProbeFindings { get; init; } = new Dictionary<string, IReadOnlyList<string>>();
}

/// <summary>A source address over the window: its messages with their results, who it is, what authorises it.</summary>
/// <param name="AuthorisedBy">The term of the domain's SPF record that lets it send; null when SPF does not pass for it.</param>
public sealed record ReceiverSource(string Ip, DmarcCounts Counts, string? PtrName, bool Confirmed, string? BaseDomain, string? AuthorisedBy);

/// <summary>A day of the domain's aggregate reports: messages and those that passed DMARC.</summary>
public sealed record ReceiverDay(DateOnly Day, double Messages, double DmarcPass);

/// <summary>Failed sessions of one result type to one MX host ("" when the report names none).</summary>
public sealed record ReportedTlsFailure(string MxHost, string ResultType, double FailedSessions);
