using MailHealth.ReportTotals;
using MailHealth.Storage.ReceiverReports;

namespace MailHealth.Monitor.ReceiverReports;

/// <summary>
/// Messages of aggregate reports added up, as the API shows them: how many, how many passed DMARC
/// and their share, the aligned and raw results, the receivers' dispositions. Rounded to hundredths:
/// a report spread over several days counts a share of its messages on each.
/// </summary>
public sealed record DmarcMessages(
    double Messages,
    double DmarcPass,
    double? PassShare,
    double DkimAligned,
    double SpfAligned,
    double DkimPass,
    double SpfPass,
    double DispositionNone,
    double DispositionQuarantine,
    double DispositionReject)
{
    public static DmarcMessages Of(DmarcCounts counts)
    {
        ArgumentNullException.ThrowIfNull(counts);
        return new(
            Round(counts.Messages),
            Round(counts.DmarcPass),
            Share(counts.DmarcPass, counts.Messages),
            Round(counts.DkimAligned),
            Round(counts.SpfAligned),
            Round(counts.DkimPass),
            Round(counts.SpfPass),
            Round(counts.DispositionNone),
            Round(counts.DispositionQuarantine),
            Round(counts.DispositionReject));
    }

    /// <summary><paramref name="part"/> of <paramref name="whole"/>, 0-1 to four places; null when there is no whole.</summary>
    public static double? Share(double part, double whole) => whole > 0 ? Math.Round(Math.Min(1, part / whole), 4) : null;

    public static double Round(double value) => Math.Round(value, 2);
}

/// <summary>One source address on one day: its messages and how many reports named it.</summary>
public sealed record DmarcDaySource(string SourceIp, int Reports, DmarcMessages Messages)
{
    public static DmarcDaySource Of(SourceTotals source)
    {
        ArgumentNullException.ThrowIfNull(source);
        return new(source.SourceIp, source.Reports, DmarcMessages.Of(source.Counts));
    }
}

/// <summary>
/// A day of a target's aggregate reports: the reports that counted on it, their messages added up,
/// and its sources, most messages first (<see cref="Sources"/> holds at most the page's share of
/// them, <see cref="SourceCount"/> says how many there were).
/// </summary>
public sealed record DmarcDayView(DateOnly Day, int Reports, DmarcMessages Totals, int SourceCount, IReadOnlyList<DmarcDaySource> Sources);

/// <summary>
/// One source of a target's aggregate reports over a range: its name when known (the PTR name,
/// forward-confirmed, and its base domain; <see cref="SpfTerm"/>, the term of the domain's SPF
/// record that authorises it), its messages, the share that passed DMARC, and the first and last
/// day any committed report showed it.
/// </summary>
public sealed record DmarcSourceView(
    string SourceIp,
    string? Name,
    string? BaseDomain,
    string? SpfTerm,
    string? SpfResult,
    double Messages,
    double DmarcPass,
    double? PassShare,
    double DkimAligned,
    double SpfAligned,
    DateOnly FirstSeen,
    DateOnly LastSeen)
{
    /// <summary>An unknown sender: no confirmed name, or no term of the domain's SPF record authorises it.</summary>
    public bool Unknown => Name is null || SpfTerm is null;

    public static DmarcSourceView Of(DmarcSender sender)
    {
        ArgumentNullException.ThrowIfNull(sender);
        var counts = sender.Counts;
        return new(
            sender.Ip,
            sender.Confirmed ? sender.PtrName : null,
            sender.BaseDomain,
            sender.AuthorisedBy,
            sender.SpfResult,
            DmarcMessages.Round(counts.Messages),
            DmarcMessages.Round(counts.DmarcPass),
            DmarcMessages.Share(counts.DmarcPass, counts.Messages),
            DmarcMessages.Round(counts.DkimAligned),
            DmarcMessages.Round(counts.SpfAligned),
            sender.FirstSeen,
            sender.LastSeen);
    }
}

/// <summary>The sources of a target's aggregate reports from <see cref="From"/> to <see cref="To"/>, unknown senders first.</summary>
public sealed record DmarcSourcesView(DateOnly From, DateOnly To, IReadOnlyList<DmarcSourceView> Sources);

/// <summary>What a target's aggregate reports said over a window, from the ledger alone: what the fleet view shows.</summary>
public sealed record DmarcSummary(DateOnly From, DateOnly To, int Reports, double Messages, double DmarcPass, double? PassShare);

/// <summary>One policy type, MX host and result type on one day; without a result type: the policy's own totals, its MX host the policy's mx patterns.</summary>
public sealed record TlsResultView(string PolicyType, string MxHost, string? ResultType, int Reports, double SuccessfulSessions, double FailedSessions)
{
    public static TlsResultView Of(TlsResultTotals totals)
    {
        ArgumentNullException.ThrowIfNull(totals);
        return new(totals.Key.PolicyType, totals.Key.MxHost, totals.Key.IsSummary ? null : totals.Key.ResultType, totals.Reports, DmarcMessages.Round(totals.Sessions.Successful), DmarcMessages.Round(totals.Sessions.Failed));
    }
}

/// <summary>A day of a target's TLS reports: the reports that counted on it, their sessions added up, and each policy type, MX host and result type.</summary>
public sealed record TlsDayView(DateOnly Day, int Reports, double SuccessfulSessions, double FailedSessions, IReadOnlyList<TlsResultView> Results);
