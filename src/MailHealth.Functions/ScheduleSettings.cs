using MailHealth.Monitor;
using MailHealth.Monitor.Scheduling;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Options;

namespace MailHealth.Functions;

/// <summary>
/// The <see cref="FunctionsSettings.ScheduleSetting"/> app setting, checked at start-up: the host
/// resolves the timer from it and cannot index the app without it, with a message that does not
/// say which setting to fix; the worker says it first.
/// </summary>
internal sealed class ScheduleSettings
{
    public string? Schedule { get; set; }

    /// <summary>MailHealth:Monitor:Interval when it is a valid one (its own validation reports it otherwise).</summary>
    public TimeSpan? Interval { get; set; }

    public static void Bind(ScheduleSettings settings, IConfiguration configuration)
    {
        settings.Schedule = configuration[FunctionsSettings.ScheduleSetting];
        settings.Interval = MonitorSettings.ReadInterval(configuration);
    }

    internal sealed class Validator : IValidateOptions<ScheduleSettings>
    {
        public ValidateOptionsResult Validate(string? name, ScheduleSettings options)
        {
            const string setting = FunctionsSettings.ScheduleSetting;
            if (string.IsNullOrWhiteSpace(options.Schedule))
            {
                return ValidateOptionsResult.Fail($"{setting}: not set; the ScheduleProbes timer needs it (default {FunctionsSettings.DefaultSchedule}, every 5 minutes)");
            }

            // NCRONTAB with seconds, as the timer trigger reads it; a TimeSpan is refused on Flex Consumption.
            if (options.Schedule.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length != 6)
            {
                return ValidateOptionsResult.Fail($"{setting}: '{options.Schedule}' is not a six-field NCRONTAB expression (second minute hour day month day-of-week), such as {FunctionsSettings.DefaultSchedule}");
            }

            if (CronSchedule.TryParse(options.Schedule, out var problem) is not { } schedule)
            {
                return ValidateOptionsResult.Fail($"{setting}: {problem}");
            }

            return options.Interval is { } interval && schedule.MismatchWith(interval, setting) is { } mismatch
                ? ValidateOptionsResult.Fail(mismatch)
                : ValidateOptionsResult.Success;
        }
    }
}
