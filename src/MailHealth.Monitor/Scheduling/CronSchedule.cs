using NCrontab;

namespace MailHealth.Monitor.Scheduling;

/// <summary>
/// A six-field cron expression (seconds first), the NCrontab format the Functions timer trigger
/// reads, so <c>MAILHEALTH_SCHEDULE</c> means the same thing in both hosts. Times are UTC.
/// </summary>
public sealed class CronSchedule
{
    private readonly CrontabSchedule schedule;

    private CronSchedule(string expression, CrontabSchedule schedule)
    {
        Expression = expression;
        this.schedule = schedule;
    }

    public string Expression { get; }

    /// <summary>The schedule, or null with <paramref name="problem"/> saying why it is not one.</summary>
    public static CronSchedule? TryParse(string? expression, out string problem)
    {
        problem = "";
        var text = expression?.Trim() ?? "";
        if (text.Split(' ', StringSplitOptions.RemoveEmptyEntries).Length != 6)
        {
            problem = $"'{expression}' is not a cron expression of six fields (second minute hour day month day-of-week), such as '0 */5 * * * *'";
            return null;
        }

        var parsed = CrontabSchedule.TryParse(text, new CrontabSchedule.ParseOptions { IncludingSeconds = true });
        if (parsed is null)
        {
            problem = $"'{expression}' is not a valid cron expression (second minute hour day month day-of-week)";
            return null;
        }

        return new CronSchedule(text, parsed);
    }

    /// <summary>The first occurrence strictly after <paramref name="after"/>.</summary>
    public DateTimeOffset NextAfter(DateTimeOffset after) =>
        new(DateTime.SpecifyKind(schedule.GetNextOccurrence(after.UtcDateTime), DateTimeKind.Utc));

    /// <summary>
    /// Why this schedule does not fit slots of <paramref name="interval"/>, or null when it ticks
    /// exactly once per interval. The scheduler queues the slot a tick falls in and each slot
    /// once, so a schedule that ticks more often only repeats a slot's claim, and one that ticks
    /// less often, or unevenly (<c>0 */7 * * * *</c> restarts every hour), leaves slots unprobed.
    /// </summary>
    /// <param name="setting">The setting's name, for the message.</param>
    public string? MismatchWith(TimeSpan interval, string setting)
    {
        // The occurrences of a week (at most 200), from a fixed Monday: enough to see any
        // schedule's hourly and daily pattern for intervals of one minute to one day.
        var start = new DateTimeOffset(2024, 1, 1, 0, 0, 0, TimeSpan.Zero);
        var end = start.AddDays(7);
        var previous = NextAfter(start.AddTicks(-1));
        for (var i = 0; i < 200 && previous < end; i++)
        {
            var next = NextAfter(previous);
            var gap = next - previous;
            if (gap != interval)
            {
                return $"{setting}: '{Expression}' ticks {Describe(gap)} after {previous:ddd HH:mm:ss}, but MailHealth:Monitor:Interval is {Describe(interval)}: "
                    + "each slot is probed once, at the first tick in it, so the schedule must tick once per interval (every 5 minutes: '0 */5 * * * *' with 00:05:00)";
            }

            previous = next;
        }

        return null;
    }

    private static string Describe(TimeSpan span) => span switch
    {
        { TotalDays: >= 1 } when span.TotalDays == Math.Floor(span.TotalDays) => $"{span.TotalDays:0} d",
        { TotalHours: >= 1 } when span.TotalHours == Math.Floor(span.TotalHours) => $"{span.TotalHours:0} h",
        { TotalMinutes: >= 1 } when span.TotalMinutes == Math.Floor(span.TotalMinutes) => $"{span.TotalMinutes:0} min",
        _ => $"{span.TotalSeconds:0} s",
    };

    public override string ToString() => Expression;
}
