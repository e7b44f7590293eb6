namespace MailHealth.ReceiverReports;

/// <summary>Whether a report, or an input that holds none, could be read.</summary>
public enum ReceivedReportStatus
{
    Parsed,

    /// <summary>Not read: the reason says why (malformed, a required element missing, over a cap, no report at all).</summary>
    Invalid,
}
