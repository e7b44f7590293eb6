using MailHealth.Settings;

namespace MailHealth.Cli.Serve;

/// <summary><c>serve</c>'s own settings (<c>MailHealth:Serve</c>); defaults and ranges in docs/configuration.md.</summary>
public sealed class ServeSettings
{
    public const string Section = "MailHealth:Serve";

    /// <summary>The probe schedule's setting, as the Functions app names it (a top-level app setting).</summary>
    public const string ScheduleSetting = "MAILHEALTH_SCHEDULE";

    /// <summary>The retention purge's schedule setting.</summary>
    public const string PurgeScheduleSetting = "MAILHEALTH_PURGE_SCHEDULE";

    public const string DefaultSchedule = "0 */5 * * * *";

    public const string DefaultPurgeSchedule = "0 30 3 * * *";

    /// <summary>The daily DKIM selector sweep's schedule setting.</summary>
    public const string DkimSweepScheduleSetting = "MAILHEALTH_DKIM_SWEEP_SCHEDULE";

    public const string DefaultDkimSweepSchedule = "0 0 4 * * *";

    /// <summary>After Ctrl+C, how long messages in hand may run before they are abandoned (left on the queue). Default 30 s, 1 s-10 min.</summary>
    public TimeSpan ShutdownTimeout { get; set; } = TimeSpan.FromSeconds(30);

    /// <summary>How long the worker waits before looking at empty queues again. Default 2 s, 100 ms-1 min.</summary>
    public TimeSpan WorkerIdlePause { get; set; } = TimeSpan.FromSeconds(2);

    /// <summary>How long a read of the fleet's state from storage serves <c>/metrics</c>. Default 10 s, 0-10 min.</summary>
    public TimeSpan MetricsCacheDuration { get; set; } = TimeSpan.FromSeconds(10);

    /// <summary>Also schedule once at start-up, not only at the first cron occurrence (the Functions timer's RunOnStartup). Default false.</summary>
    public bool ScheduleOnStart { get; set; }

    public static void Validate(ServeSettings settings, SettingErrors errors)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(errors);
        errors.Range(nameof(ShutdownTimeout), settings.ShutdownTimeout, TimeSpan.FromSeconds(1), TimeSpan.FromMinutes(10));
        errors.Range(nameof(WorkerIdlePause), settings.WorkerIdlePause, TimeSpan.FromMilliseconds(100), TimeSpan.FromMinutes(1));
        errors.Range(nameof(MetricsCacheDuration), settings.MetricsCacheDuration, TimeSpan.Zero, TimeSpan.FromMinutes(10));
    }
}
