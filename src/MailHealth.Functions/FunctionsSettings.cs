using MailHealth.Monitor.Scheduling;
using MailHealth.Storage.Configuration;

namespace MailHealth.Functions;

/// <summary>
/// What the Functions host reads from the app's attributes and settings, in one place: the
/// trigger attributes need constants or <c>%setting%</c> names, and the worker's validation and the
/// tests compare the Storage settings with these.
/// </summary>
public static class FunctionsSettings
{
    /// <summary>The app setting holding <c>ScheduleProbes</c>' NCRONTAB expression (six fields, seconds first): <see cref="ScheduleSettings.ScheduleSetting"/>.</summary>
    public const string ScheduleSetting = ScheduleSettings.ScheduleSetting;

    /// <summary>The timer expression of <c>ScheduleProbes</c>: the host resolves it from <see cref="ScheduleSetting"/>, which must exist.</summary>
    public const string ScheduleExpression = "%" + ScheduleSetting + "%";

    /// <summary>The documented default of <see cref="ScheduleSetting"/>, set by the template: every 5 minutes, as <c>MailHealth:Monitor:Interval</c>'s default.</summary>
    public const string DefaultSchedule = ScheduleSettings.DefaultSchedule;

    /// <summary><c>PurgeHistory</c>: <see cref="ScheduleSettings.DefaultPurgeSchedule"/>, as serve's default (the timer takes no setting here).</summary>
    public const string PurgeSchedule = ScheduleSettings.DefaultPurgeSchedule;

    /// <summary><c>SweepDkimSelectors</c>: daily at 04:00 UTC, after the purge (docs/findings.md, DKIM).</summary>
    public const string DkimSweepSchedule = ScheduleSettings.DefaultDkimSweepSchedule;

    /// <summary><c>PollReportsMailbox</c>: every 5 minutes, as serve's default (docs/reports.md, "The mailbox").</summary>
    public const string MailboxSchedule = ScheduleSettings.DefaultMailboxSchedule;

    /// <summary>
    /// The app setting that lets callers signed in with Entra ID through App Service Authentication
    /// use the API by their app roles (<c>true</c> or <c>false</c>; the template sets it with its
    /// <c>entraClientId</c> parameter). Trusted only together with <see cref="PlatformAuthenticationSetting"/>.
    /// </summary>
    public const string SignInSetting = "MAILHEALTH_ENTRA_SIGN_IN";

    /// <summary>Set by the platform, never by the template: <c>True</c> while App Service Authentication is on for the app.</summary>
    public const string PlatformAuthenticationSetting = "WEBSITE_AUTH_ENABLED";

    /// <summary>The connection the queue triggers (and the host itself) use; <c>MailHealth:Storage</c> is taken from it.</summary>
    public const string StorageConnection = "AzureWebJobsStorage";

    /// <summary>
    /// The identity-based forms of <see cref="StorageConnection"/> the worker reads
    /// (<c>AzureWebJobsStorage__accountName</c>...), besides the connection string itself.
    /// </summary>
    public static IReadOnlyList<string> StorageIdentitySettings { get; } = [AccountName, TableServiceUri, QueueServiceUri, BlobServiceUri, ClientId];

    internal const string AccountName = "accountName";

    internal const string TableServiceUri = "tableServiceUri";

    internal const string QueueServiceUri = "queueServiceUri";

    internal const string BlobServiceUri = "blobServiceUri";

    internal const string ClientId = "clientId";

    /// <summary>
    /// The app setting naming the probe queue. A trigger needs a constant or a setting the host
    /// resolves, and the Storage project's queue names are configurable, so both read this one
    /// setting: the worker copies it into <c>MailHealth:Storage:ProbeQueueName</c>, which may not be
    /// set on its own (checked at start-up). The worker never writes where the trigger does not read.
    /// </summary>
    public const string ProbeQueueSetting = "MAILHEALTH_PROBE_QUEUE";

    /// <summary>The app setting naming the notification queue; see <see cref="ProbeQueueSetting"/>.</summary>
    public const string NotificationQueueSetting = "MAILHEALTH_NOTIFICATION_QUEUE";

    /// <summary>The app setting naming the report queue (inputs the API received); see <see cref="ProbeQueueSetting"/>.</summary>
    public const string ReportQueueSetting = "MAILHEALTH_REPORT_QUEUE";

    public const string ProbeQueueExpression = "%" + ProbeQueueSetting + "%";

    public const string NotificationQueueExpression = "%" + NotificationQueueSetting + "%";

    public const string ReportQueueExpression = "%" + ReportQueueSetting + "%";

    /// <summary>Each queue's app setting, the trigger that reads it, and how it sets the <see cref="StorageOptions"/> name.</summary>
    internal static IReadOnlyList<(string AppSetting, string Trigger, Action<StorageOptions, string> Set)> Queues { get; } =
    [
        (ProbeQueueSetting, "ProbeTarget", (o, name) => o.ProbeQueueName = name),
        (NotificationQueueSetting, "SendNotification", (o, name) => o.NotificationQueueName = name),
        (ReportQueueSetting, "IngestReport", (o, name) => o.ReportQueueName = name),
    ];
}
