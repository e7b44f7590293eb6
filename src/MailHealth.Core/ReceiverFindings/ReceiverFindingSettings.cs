using MailHealth.Checks;
using MailHealth.Settings;

namespace MailHealth.ReceiverFindings;

/// <summary>
/// What receivers' reports must show before they are findings (<c>MailHealth:ReceiverFindings</c>;
/// docs/findings.md, "Receivers' reports"; docs/configuration.md): windows, thresholds, severities,
/// and the report addresses this monitor reads.
/// </summary>
public sealed class ReceiverFindingSettings
{
    public const string Section = "MailHealth:ReceiverFindings";

    /// <summary>Days of reports the sender and TLS findings look at, ending yesterday. Default 7, 1-31.</summary>
    public int WindowDays { get; set; } = 7;

    /// <summary>Messages a day failing DMARC (over the window's days with reports) above which an unauthorised source is a finding. Default 10, 0-1,000,000.</summary>
    public int UnknownSenderMessagesPerDay { get; set; } = 10;

    public Severity UnknownSenderSeverity { get; set; } = Severity.Warning;

    /// <summary>Messages a day failing DMARC above which an authorised source is a finding. Default 10, 0-1,000,000.</summary>
    public int AuthorisedSenderMessagesPerDay { get; set; } = 10;

    public Severity AuthorisedSenderSeverity { get; set; } = Severity.Warning;

    /// <summary>The mailboxes this monitor reads reports from ("dmarc@example.com"): a domain whose rua names one should have reports. Default none.</summary>
    public IList<string> ReportAddresses { get; init; } = [];

    /// <summary>Days without an aggregate report, for a domain whose rua names one of <see cref="ReportAddresses"/>, before it is a finding. Default 3, 1-60.</summary>
    public int MissingReportDays { get; set; } = 3;

    public Severity MissingReportsSeverity { get; set; } = Severity.Warning;

    /// <summary>Failed sessions to one MX host over the window from which receivers' TLS reports are a finding. Default 1, 1-1,000,000.</summary>
    public int TlsFailedSessions { get; set; } = 1;

    public Severity TlsFailuresSeverity { get; set; } = Severity.Warning;

    /// <summary>Days a p=none domain's aligned share must hold (reports on nine in ten of them). Default 30, 7-90.</summary>
    public int ReadyDays { get; set; } = 30;

    /// <summary>The aligned (DMARC pass) share every day with reports must reach, in percent. Default 99, 50-100.</summary>
    public double ReadyPassPercent { get; set; } = 99;

    public Severity ReadySeverity { get; set; } = Severity.Info;

    /// <summary>The days the reads must cover: the longest window.</summary>
    public int DaysRead() => Math.Max(Math.Max(WindowDays, ReadyDays), MissingReportDays);

    public static void Validate(ReceiverFindingSettings settings, SettingErrors errors)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(errors);
        errors.Range(nameof(WindowDays), settings.WindowDays, 1, 31);
        errors.Range(nameof(UnknownSenderMessagesPerDay), settings.UnknownSenderMessagesPerDay, 0, 1_000_000);
        errors.Range(nameof(AuthorisedSenderMessagesPerDay), settings.AuthorisedSenderMessagesPerDay, 0, 1_000_000);
        errors.Range(nameof(MissingReportDays), settings.MissingReportDays, 1, 60);
        errors.Range(nameof(TlsFailedSessions), settings.TlsFailedSessions, 1, 1_000_000);
        errors.Range(nameof(ReadyDays), settings.ReadyDays, 7, 90);
        if (settings.ReadyPassPercent is < 50 or > 100 || double.IsNaN(settings.ReadyPassPercent))
        {
            errors.Add(nameof(ReadyPassPercent), $"{settings.ReadyPassPercent} is not in 50-100");
        }

        foreach (var address in settings.ReportAddresses)
        {
            if (string.IsNullOrWhiteSpace(address) || !address.Contains('@', StringComparison.Ordinal) || address.StartsWith("mailto:", StringComparison.OrdinalIgnoreCase))
            {
                errors.Add(nameof(ReportAddresses), $"'{address}' is not a mailbox address (write dmarc@example.com, without mailto:)");
            }
        }
    }
}
