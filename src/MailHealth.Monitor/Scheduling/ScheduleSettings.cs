using Microsoft.Extensions.Configuration;

namespace MailHealth.Monitor.Scheduling;

/// <summary>
/// The schedules both hosts run, named, defaulted and checked in one place: the probe schedule
/// (<c>MAILHEALTH_SCHEDULE</c>, a top-level setting because the Functions timer trigger resolves
/// it by that name) and the retention purge's (<c>MAILHEALTH_PURGE_SCHEDULE</c>), six-field
/// NCRONTAB expressions in UTC, the probe schedule ticking once per <c>MailHealth:Monitor:Interval</c>.
/// Which of them a host may set is <see cref="ScheduleTimers"/>'.
/// </summary>
public sealed class ScheduleSettings
{
    public const string ScheduleSetting = "MAILHEALTH_SCHEDULE";

    public const string PurgeScheduleSetting = "MAILHEALTH_PURGE_SCHEDULE";

    /// <summary>Every 5 minutes, as <c>MailHealth:Monitor:Interval</c>'s default.</summary>
    public const string DefaultSchedule = "0 */5 * * * *";

    /// <summary>Daily at 03:30 UTC, off the hour when other jobs cluster.</summary>
    public const string DefaultPurgeSchedule = "0 30 3 * * *";

    /// <summary>The probe schedule; null when the setting is missing or wrong (<see cref="Problems"/> says which).</summary>
    public CronSchedule? Probes { get; private set; }

    /// <summary>The purge schedule; null when the setting is wrong.</summary>
    public CronSchedule? Purge { get; private set; }

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

        var purge = configuration[PurgeScheduleSetting];
        if (purge is not null && timers == ScheduleTimers.Functions)
        {
            problems.Add($"{PurgeScheduleSetting}: the Functions app purges at the fixed '{DefaultPurgeSchedule}' (its timer takes no setting); remove it");
        }
        else
        {
            Purge = Parse(PurgeScheduleSetting, purge ?? DefaultPurgeSchedule, problems);
        }

        if (Probes is not null && MonitorSettings.ReadInterval(configuration) is { } interval && Probes.MismatchWith(interval, ScheduleSetting) is { } mismatch)
        {
            problems.Add(mismatch);
        }

        Problems = problems;
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
