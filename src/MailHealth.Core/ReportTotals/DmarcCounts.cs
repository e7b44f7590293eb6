using MailHealth.ReceiverReports;

namespace MailHealth.ReportTotals;

/// <summary>
/// Messages of DMARC aggregate records added up: how many, how the receivers disposed of them,
/// whether DMARC passed, the aligned results (policy_evaluated) and the raw ones (auth_results).
/// Values are doubles because a report spread over several days (<see cref="ReportDays"/>) counts
/// a share of its messages on each.
/// </summary>
public sealed class DmarcCounts
{
    public double Messages { get; private set; }

    /// <summary>DMARC passed: an aligned DKIM or SPF pass (RFC 9989 section 4.1).</summary>
    public double DmarcPass { get; private set; }

    /// <summary>policy_evaluated dkim pass: a DKIM signature aligned with the From domain verified.</summary>
    public double DkimAligned { get; private set; }

    /// <summary>policy_evaluated spf pass: SPF passed for a domain aligned with the From domain.</summary>
    public double SpfAligned { get; private set; }

    /// <summary>auth_results: some DKIM signature verified, aligned or not.</summary>
    public double DkimPass { get; private set; }

    /// <summary>auth_results: SPF passed, for whatever domain it checked.</summary>
    public double SpfPass { get; private set; }

    /// <summary>
    /// Failed DMARC although a DKIM signature of the From domain itself (d= the header_from) was
    /// there: the domain's own key signed it, and the signature did not verify (a wrong key, a
    /// body changed on the way). A legitimate sender broken, not a stranger.
    /// </summary>
    public double OwnSignatureFailed { get; private set; }

    /// <summary>Delivered as the policy allowed: disposition none, or a word no RFC defines.</summary>
    public double DispositionNone { get; private set; }

    public double DispositionQuarantine { get; private set; }

    public double DispositionReject { get; private set; }

    /// <summary>The counts of every kind, in a fixed order (<see cref="Names"/>): how they are stored.</summary>
    public IReadOnlyList<double> Values =>
        [Messages, DmarcPass, DkimAligned, SpfAligned, DkimPass, SpfPass, DispositionNone, DispositionQuarantine, DispositionReject, OwnSignatureFailed];

    /// <summary>The names of <see cref="Values"/>, in their order.</summary>
    public static IReadOnlyList<string> Names { get; } =
    [
        nameof(Messages), nameof(DmarcPass), nameof(DkimAligned), nameof(SpfAligned), nameof(DkimPass), nameof(SpfPass),
        nameof(DispositionNone), nameof(DispositionQuarantine), nameof(DispositionReject), nameof(OwnSignatureFailed),
    ];

    /// <summary>Counts from stored values in the order of <see cref="Names"/>.</summary>
    public static DmarcCounts FromValues(IReadOnlyList<double> values)
    {
        ArgumentNullException.ThrowIfNull(values);
        if (values.Count != Names.Count)
        {
            throw new ArgumentException($"{Names.Count} values expected, {values.Count} given", nameof(values));
        }

        return new DmarcCounts
        {
            Messages = values[0],
            DmarcPass = values[1],
            DkimAligned = values[2],
            SpfAligned = values[3],
            DkimPass = values[4],
            SpfPass = values[5],
            DispositionNone = values[6],
            DispositionQuarantine = values[7],
            DispositionReject = values[8],
            OwnSignatureFailed = values[9],
        };
    }

    /// <summary>Adds the messages of one record.</summary>
    public void Add(AggregateRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        double count = record.Count;
        Messages += count;
        DmarcPass += record.DmarcPass ? count : 0;
        DkimAligned += record.Dkim == AggregateValues.Pass ? count : 0;
        SpfAligned += record.Spf == AggregateValues.Pass ? count : 0;
        DkimPass += record.DkimResults.Any(r => r.Result == AggregateValues.Pass) ? count : 0;
        SpfPass += record.SpfResults.Any(r => r.Result == AggregateValues.Pass) ? count : 0;
        OwnSignatureFailed += !record.DmarcPass && record.DkimResults.Any(r => string.Equals(r.Domain?.TrimEnd('.'), record.HeaderFrom?.TrimEnd('.'), StringComparison.OrdinalIgnoreCase)) ? count : 0;
        switch (record.Disposition)
        {
            case "quarantine":
                DispositionQuarantine += count;
                break;
            case "reject":
                DispositionReject += count;
                break;
            default:
                DispositionNone += count;
                break;
        }
    }

    /// <summary>Adds <paramref name="share"/> of <paramref name="other"/> (all of it by default).</summary>
    public void Add(DmarcCounts other, double share = 1)
    {
        ArgumentNullException.ThrowIfNull(other);
        Messages += other.Messages * share;
        DmarcPass += other.DmarcPass * share;
        DkimAligned += other.DkimAligned * share;
        SpfAligned += other.SpfAligned * share;
        DkimPass += other.DkimPass * share;
        SpfPass += other.SpfPass * share;
        DispositionNone += other.DispositionNone * share;
        DispositionQuarantine += other.DispositionQuarantine * share;
        DispositionReject += other.DispositionReject * share;
        OwnSignatureFailed += other.OwnSignatureFailed * share;
    }

    /// <summary>A new tally holding <paramref name="share"/> of this one.</summary>
    public DmarcCounts Share(double share)
    {
        var part = new DmarcCounts();
        part.Add(this, share);
        return part;
    }
}
