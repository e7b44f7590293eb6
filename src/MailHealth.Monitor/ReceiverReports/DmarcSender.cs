using MailHealth.ReportTotals;
using MailHealth.Spf;

namespace MailHealth.Monitor.ReceiverReports;

/// <summary>
/// One source address of a domain's aggregate reports over a range of days, with its name
/// (docs/reports.md, "Naming the senders"): the messages receivers saw from it, and who it is.
/// The name fields are null while the address is not named yet (<see cref="NamedAt"/> null).
/// </summary>
public sealed record DmarcSender
{
    public required string Ip { get; init; }

    /// <summary>Its messages over the range, with their DMARC, DKIM and SPF results and dispositions.</summary>
    public required DmarcCounts Counts { get; init; }

    /// <summary>The first day a committed report showed it (ever, not only in the range).</summary>
    public required DateOnly FirstSeen { get; init; }

    /// <summary>The last day a committed report showed it.</summary>
    public required DateOnly LastSeen { get; init; }

    /// <summary>Its PTR name: forward-confirmed when <see cref="Confirmed"/>, otherwise the first one, unconfirmed.</summary>
    public string? PtrName { get; init; }

    public bool Confirmed { get; init; }

    /// <summary>The registrable domain of its confirmed PTR name by the Public Suffix List ("google.com").</summary>
    public string? BaseDomain { get; init; }

    /// <summary>Why it has no confirmed name (the names of <c>SenderNameProblem</c>: NoPtr, Unconfirmed, TimedOut, ...); "None" when named; null while not named yet.</summary>
    public string? Problem { get; init; }

    /// <summary>The domain's SPF record's result for it ("pass", "fail", "softfail", ...); null when not evaluated.</summary>
    public string? SpfResult { get; init; }

    /// <summary>The term of the domain's own SPF record that gave <see cref="SpfResult"/> ("include:_spf.google.com", "ip4:192.0.2.0/24", "-all").</summary>
    public string? SpfTerm { get; init; }

    /// <summary>The mechanism that matched, perhaps inside an included record.</summary>
    public string? SpfMechanism { get; init; }

    public DateTimeOffset? NamedAt { get; init; }

    /// <summary>The term of the domain's SPF record that authorises it; null when SPF does not pass for it.</summary>
    public string? AuthorisedBy => SpfResult == Spf.SpfResult.Pass.Name() ? SpfTerm : null;

    public double Messages => Counts.Messages;

    /// <summary>The share of its messages that passed DMARC (0-1; 0 without messages).</summary>
    public double PassShare => Counts.Messages > 0 ? Counts.DmarcPass / Counts.Messages : 0;
}
