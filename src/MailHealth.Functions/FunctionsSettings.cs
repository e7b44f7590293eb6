using MailHealth.Storage.Configuration;

namespace MailHealth.Functions;

/// <summary>
/// What the Functions host reads from the app's attributes and settings, in one place: the
/// trigger attributes need constants or <c>%setting%</c> names, and the worker's validation and the
/// tests compare the Storage settings with these.
/// </summary>
public static class FunctionsSettings
{
    /// <summary>The app setting holding <c>ScheduleProbes</c>' NCRONTAB expression (six fields, seconds first).</summary>
    public const string ScheduleSetting = "MAILHEALTH_SCHEDULE";

    /// <summary>The timer expression of <c>ScheduleProbes</c>: the host resolves it from <see cref="ScheduleSetting"/>, which must exist.</summary>
    public const string ScheduleExpression = "%" + ScheduleSetting + "%";

    /// <summary>The documented default of <see cref="ScheduleSetting"/>, set by the template: every 5 minutes, as <c>MailHealth:Monitor:Interval</c>'s default.</summary>
    public const string DefaultSchedule = "0 */5 * * * *";

    /// <summary><c>PurgeHistory</c>: daily at 03:30 UTC, off the hour when other jobs cluster.</summary>
    public const string PurgeSchedule = "0 30 3 * * *";

    /// <summary>The connection the queue triggers (and the host itself) use; <c>MailHealth:Storage</c> is taken from it.</summary>
    public const string StorageConnection = "AzureWebJobsStorage";

    /// <summary>
    /// The probe queue the trigger listens on. A constant, because a trigger needs one (or a
    /// setting the host resolves); <c>MailHealth:Storage:ProbeQueueName</c> must be unset or equal
    /// (checked at start-up), so the worker never writes where the trigger does not read.
    /// </summary>
    public const string ProbeQueue = "mailhealth-probes";

    /// <summary>The notification queue the trigger listens on; see <see cref="ProbeQueue"/>.</summary>
    public const string NotificationQueue = "mailhealth-notifications";

    /// <summary>The queue names as <see cref="StorageOptions"/> holds them, for the start-up check.</summary>
    internal static IReadOnlyList<(string Setting, string Trigger, Func<StorageOptions, string> Configured)> Queues { get; } =
    [
        (nameof(StorageOptions.ProbeQueueName), ProbeQueue, o => o.ProbeQueueName),
        (nameof(StorageOptions.NotificationQueueName), NotificationQueue, o => o.NotificationQueueName),
    ];
}
