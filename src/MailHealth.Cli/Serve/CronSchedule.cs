using NCrontab;

namespace MailHealth.Cli.Serve;

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

    public override string ToString() => Expression;
}
