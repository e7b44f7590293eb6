using MailHealth.ReportTotals;

namespace MailHealth.Storage.ReceiverReports;

/// <summary>
/// A report as its ledger row keeps it once committed: its identity (<see cref="Key"/> and the
/// fields it is made of), the input that committed it, how many records it had and dropped, and
/// its totals (<see cref="Dmarc"/> for an aggregate report, <see cref="Tls"/> for a TLS report).
/// </summary>
public sealed record StoredReport
{
    /// <summary>The identity's key (<see cref="ReportIdentity.Key"/>).</summary>
    public required string Key { get; init; }

    /// <summary><c>dmarc</c> or <c>tlsrpt</c>.</summary>
    public required string Kind { get; init; }

    public required string OrgName { get; init; }

    public required string ReportId { get; init; }

    public required string PolicyDomain { get; init; }

    public required DateTimeOffset Begin { get; init; }

    public required DateTimeOffset End { get; init; }

    /// <summary>The input whose processing committed it (its SHA-256).</summary>
    public required string Input { get; init; }

    public required DateTimeOffset ReceivedAt { get; init; }

    /// <summary>How the input came: <c>api</c>, <c>cli</c>, <c>mailbox</c>.</summary>
    public required string Door { get; init; }

    public DateTimeOffset CommittedAt { get; init; }

    /// <summary>Records read (an aggregate report), or policies (a TLS report).</summary>
    public long Records { get; init; }

    public int DroppedRecords { get; init; }

    public int Warnings { get; init; }

    /// <summary>Distinct source addresses (an aggregate report of more than one tally's worth counts each tally's).</summary>
    public int Sources { get; init; }

    public DmarcCounts? Dmarc { get; init; }

    public TlsSessionCounts? Tls { get; init; }

    /// <summary>The days its range covers and its share of each (<see cref="ReportDays.Spread"/>).</summary>
    public IReadOnlyList<DayShare> Days => ReportDays.Spread(Begin, End);
}
