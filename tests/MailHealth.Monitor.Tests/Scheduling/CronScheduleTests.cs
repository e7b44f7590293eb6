using MailHealth.Monitor.Scheduling;

namespace MailHealth.Monitor.Tests.Scheduling;

/// <summary>The schedule must tick once per slot: the check both hosts run at start-up.</summary>
public sealed class CronScheduleTests
{
    [Theory]
    [InlineData("0 */5 * * * *", 5)]
    [InlineData("0 * * * * *", 1)]
    [InlineData("0 2/5 * * * *", 5)] // two minutes into each slot: still one tick per slot
    [InlineData("0 0 * * * *", 60)]
    [InlineData("0 30 3 * * *", 1440)]
    public void MismatchWith_OneTickPerInterval_IsNone(string expression, int intervalMinutes)
    {
        var schedule = CronSchedule.TryParse(expression, out _)!;

        Assert.Null(schedule.MismatchWith(TimeSpan.FromMinutes(intervalMinutes), "MAILHEALTH_SCHEDULE"));
    }

    [Theory]
    [InlineData("0 */10 * * * *", 5, "ticks 10 min after Mon 00:00:00, but MailHealth:Monitor:Interval is 5 min")]
    [InlineData("0 * * * * *", 5, "ticks 1 min after Mon 00:00:00, but MailHealth:Monitor:Interval is 5 min")]
    [InlineData("0 */7 * * * *", 7, "ticks 4 min after Mon 00:56:00")] // */7 starts again at each hour
    [InlineData("0 0 9-17 * * *", 60, "ticks 16 h after Mon 17:00:00")] // office hours leave the night's slots unprobed
    [InlineData("*/30 * * * * *", 1, "ticks 30 s after")]
    public void MismatchWith_AnotherPeriodOrAnUnevenOne_IsNamed(string expression, int intervalMinutes, string expected)
    {
        var schedule = CronSchedule.TryParse(expression, out _)!;

        var problem = schedule.MismatchWith(TimeSpan.FromMinutes(intervalMinutes), "MAILHEALTH_SCHEDULE");

        Assert.NotNull(problem);
        Assert.StartsWith($"MAILHEALTH_SCHEDULE: '{expression}' ", problem, StringComparison.Ordinal);
        Assert.Contains(expected, problem, StringComparison.Ordinal);
    }
}
