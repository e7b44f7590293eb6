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

    /// <summary>
    /// Days receivers' reports are kept, counted back from today to the end of a report's range:
    /// the daily purge removes older ones (their rows, day totals and ledger rows; the inputs and
    /// their blobs once the month they arrived in is wholly older), and a report that ended before
    /// that is refused at ingestion, so a purged report delivered again is not counted again.
    /// Default 400 (a year and a month: this year's figures beside last year's), 7-3650.
    /// </summary>
    public int RetentionDays { get; set; } = 400;

    public static void Validate(ReportIngestionSettings settings, SettingErrors errors)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(errors);
        errors.Range(nameof(MaxReportDays), settings.MaxReportDays, 1, 60);
        errors.Range(nameof(RetentionDays), settings.RetentionDays, 7, 3650);
    }
}
