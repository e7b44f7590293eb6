namespace MailHealth.Monitor.ReceiverReports;

/// <summary>The ways a report input comes in, as its records name them.</summary>
public static class ReportDoors
{
    /// <summary><c>POST /api/reports</c>: stored and queued.</summary>
    public const string Api = "api";

    /// <summary><c>mailhealth reports import</c>: stored and processed at once.</summary>
    public const string Cli = "cli";

    /// <summary>The IMAP mailbox: stored and processed at once, before the message is moved.</summary>
    public const string Mailbox = "mailbox";
}
