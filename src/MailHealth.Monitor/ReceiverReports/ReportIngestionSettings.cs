using MailHealth.Settings;

namespace MailHealth.Monitor.ReceiverReports;

/// <summary>
/// How reports are stored (<c>MailHealth:Ingestion</c>; docs/configuration.md). The caps on one
/// input as read are the parser's (<c>MailHealth:Reports</c>, <see cref="MailHealth.ReceiverReports.ReceiverReportSettings"/>).
/// </summary>
public sealed class ReportIngestionSettings
{
    public const string Section = "MailHealth:Ingestion";

    /// <summary>
    /// The most days one report's range may cover: its totals are spread over them, one row per day
    /// written with its ledger row in one transaction (100 operations at most). Receivers send a
    /// report a day; a range of months is a broken report, refused with its reason rather than
    /// spread thin. Default 31, 1-60.
    /// </summary>
    public int MaxReportDays { get; set; } = 31;

    public static void Validate(ReportIngestionSettings settings, SettingErrors errors)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(errors);
        errors.Range(nameof(MaxReportDays), settings.MaxReportDays, 1, 60);
    }
}
