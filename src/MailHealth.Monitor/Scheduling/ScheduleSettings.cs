using Microsoft.Extensions.Configuration;

namespace MailHealth.Monitor.Scheduling;

/// <summary>
/// The schedules both hosts run, named, defaulted and checked in one place: the probe schedule
/// (<c>MAILHEALTH_SCHEDULE</c>, a top-level setting because the Functions timer trigger resolves
/// it by that name), the retention purge's (<c>MAILHEALTH_PURGE_SCHEDULE</c>), the daily DKIM
/// selector sweep's (<c>MAILHEALTH_DKIM_SWEEP_SCHEDULE</c>) and the reports mailbox poll's
/// (<c>MAILHEALTH_MAILBOX_SCHEDULE</c>), six-field
/// NCRONTAB expressions in UTC, the probe schedule ticking once per <c>MailHealth:Monitor:Interval</c>.
/// Which of them a host may set is <see cref="ScheduleTimers"/>'.
/// </summary>
public sealed class ScheduleSettings
{
    public const string ScheduleSetting = "MAILHEALTH_SCHEDULE";

    public const string PurgeScheduleSetting = "MAILHEALTH_PURGE_SCHEDULE";

    public const string DkimSweepScheduleSetting = "MAILHEALTH_DKIM_SWEEP_SCHEDULE";

    public const string MailboxScheduleSetting = "MAILHEALTH_MAILBOX_SCHEDULE";

    /// <summary>Every 5 minutes, as <c>MailHealth:Monitor:Interval</c>'s default.</summary>
    public const string DefaultSchedule = "0 */5 * * * *";

    /// <summary>Daily at 03:30 UTC, off the hour when other jobs cluster.</summary>
    public const string DefaultPurgeSchedule = "0 30 3 * * *";

    /// <summary>Daily at 04:00 UTC, after the purge.</summary>
    public const string DefaultDkimSweepSchedule = "0 0 4 * * *";

    /// <summary>Every 5 minutes, two minutes after the probe schedule's ticks (the mailbox poll, off without a mailbox).</summary>
    public const string DefaultMailboxSchedule = "0 2-59/5 * * * *";

    /// <summary>The probe schedule; null when the setting is missing or wrong (<see cref="Problems"/> says which).</summary>
    public CronSchedule? Probes { get; private set; }

    /// <summary>The purge schedule; null when the setting is wrong.</summary>
    public CronSchedule? Purge { get; private set; }

    /// <summary>The DKIM selector sweep's schedule; null when the setting is wrong.</summary>
    public CronSchedule? DkimSweep { get; private set; }

    /// <summary>The reports mailbox poll's schedule; null when the setting is wrong.</summary>
    public CronSchedule? Mailbox { get; private set; }

    /// <summary>What is wrong with the schedule settings, each naming its setting; empty when nothing is.</summary>
    public IReadOnlyList<string> Problems { get; private set; } = [];

    /// <summary>Reads the schedules from <paramref name="configuration"/> as a host of <paramref name="timers"/> takes them.</summary>
    public void Read(IConfiguration configuration, ScheduleTimers timers)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        var problems = new List<string>();
        var schedule = configuration[ScheduleSetting];
        if (string.IsNullOrWhiteSpace(schedule) && timers == ScheduleTimers.Functions)
        {
            // The host reads the setting itself to build the timer, and cannot say which setting is missing.
            problems.Add($"{ScheduleSetting}: not set; the ScheduleProbes timer needs it (default {DefaultSchedule}, every 5 minutes)");
        }
        else
        {
            Probes = Parse(ScheduleSetting, schedule ?? DefaultSchedule, problems);
        }

        Purge = ReadFixedInFunctions(configuration, timers, PurgeScheduleSetting, DefaultPurgeSchedule, "purges", problems);
        DkimSweep = ReadFixedInFunctions(configuration, timers, DkimSweepScheduleSetting, DefaultDkimSweepSchedule, "sweeps DKIM selectors", problems);
        Mailbox = ReadFixedInFunctions(configuration, timers, MailboxScheduleSetting, DefaultMailboxSchedule, "polls the reports mailbox", problems);

        if (Probes is not null && MonitorSettings.ReadInterval(configuration) is { } interval && Probes.MismatchWith(interval, ScheduleSetting) is { } mismatch)
        {
            problems.Add(mismatch);
        }

        Problems = problems;
    }

    /// <summary>A schedule only <c>serve</c> takes: the Functions app's timer for it has a fixed expression, so it refuses the setting rather than ignore it.</summary>
    private static CronSchedule? ReadFixedInFunctions(
        IConfiguration configuration, ScheduleTimers timers, string setting, string defaultExpression, string job, List<string> problems)
    {
        var expression = configuration[setting];
        if (expression is not null && timers == ScheduleTimers.Functions)
        {
            problems.Add($"{setting}: the Functions app {job} at the fixed '{defaultExpression}' (its timer takes no setting); remove it");
            return null;
        }

        return Parse(setting, expression ?? defaultExpression, problems);
    }

    private static CronSchedule? Parse(string setting, string expression, List<string> problems)
    {
        var schedule = CronSchedule.TryParse(expression, out var problem);
        if (schedule is null)
        {
            problems.Add($"{setting}: {problem}");
        }

        return schedule;
    }
}
