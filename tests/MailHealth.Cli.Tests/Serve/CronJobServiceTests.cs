using System.Globalization;
using MailHealth.Cli.Serve;
using MailHealth.Monitor.Scheduling;
using Microsoft.Extensions.Logging.Abstractions;
using Microsoft.Extensions.Time.Testing;

namespace MailHealth.Cli.Tests.Serve;

/// <summary>The in-process schedule's clock: six-field cron as the Functions timer reads it, occurrences on a fake clock.</summary>
public sealed class CronJobServiceTests
{
    private static readonly DateTimeOffset Start = DateTimeOffset.Parse("2026-11-29T10:02:30Z", CultureInfo.InvariantCulture);

    [Theory]
    [InlineData("0 */5 * * * *", "2026-11-29T10:05:00Z")]
    [InlineData("0 * * * * *", "2026-11-29T10:03:00Z")]
    [InlineData("30 30 3 * * *", "2026-11-30T03:30:30Z")]
    public void SixFieldExpressionsGiveTheNextOccurrence(string expression, string next)
    {
        var schedule = CronSchedule.TryParse(expression, out var problem);

        Assert.NotNull(schedule);
        Assert.Equal("", problem);
        Assert.Equal(DateTimeOffset.Parse(next, CultureInfo.InvariantCulture), schedule.NextAfter(Start));
    }

    [Theory]
    [InlineData("*/5 * * * *")]
    [InlineData("0 61 * * * *")]
    [InlineData("")]
    [InlineData(null)]
    public void OtherTextIsNoSchedule(string? expression)
    {
        Assert.Null(CronSchedule.TryParse(expression, out var problem));
        Assert.Contains("cron expression", problem, StringComparison.Ordinal);
    }

    [Fact]
    public async Task JobRunsAtEachOccurrenceOfTheClock()
    {
        var time = new FakeTimeProvider(Start);
        var runs = new List<DateTimeOffset>();
        using var job = Job(time, time, runs);
        await job.StartAsync(CancellationToken.None);
        var first = await NextAsync(job, null);

        time.Advance(first - time.GetUtcNow() - TimeSpan.FromSeconds(1));
        Assert.Empty(runs);
        time.Advance(TimeSpan.FromSeconds(1));
        var second = await NextAsync(job, first);

        Assert.Equal([first], runs);
        Assert.Equal(first.AddMinutes(5), second);
        await job.StopAsync(CancellationToken.None);
    }

    [Fact]
    public async Task TimerThatFiresEarlyDoesNotRunTheJobBeforeItsTime()
    {
        // Timers run on another clock than the wall clock and may fire a little early: the job
        // (which reads the wall clock for its slot) must still see the occurrence's time.
        var clock = new FakeTimeProvider(Start);
        var early = new EarlyTimers(clock, TimeSpan.FromMilliseconds(20));
        var runs = new List<DateTimeOffset>();
        using var job = Job(early, clock, runs);
        await job.StartAsync(CancellationToken.None);
        var first = await NextAsync(job, null);

        clock.Advance(first - clock.GetUtcNow() - TimeSpan.FromMilliseconds(20));

        // The early timer fired: the job has looked at the clock and either run (wrong) or armed
        // a timer for the 20 ms left (right). Either way it makes a second timer; a job that runs
        // first records the run before arming the next occurrence's timer.
        await UntilAsync(() => early.TimersCreated >= 2, "the job never woke from its early timer");
        Assert.Empty(runs);
        clock.Advance(TimeSpan.FromMilliseconds(20));
        await NextAsync(job, first);

        Assert.Equal([first], runs);
        await job.StopAsync(CancellationToken.None);
    }

    private static CronJobService Job(TimeProvider time, TimeProvider clock, List<DateTimeOffset> runs) => new(
        "Schedule",
        CronSchedule.TryParse("0 */5 * * * *", out _)!,
        runOnStart: false,
        _ =>
        {
            lock (runs)
            {
                runs.Add(clock.GetUtcNow());
            }

            return Task.CompletedTask;
        },
        time,
        NullLogger<CronJobService>.Instance);

    /// <summary>Waits (bounded) until the job waits for an occurrence after <paramref name="after"/>.</summary>
    private static async Task<DateTimeOffset> NextAsync(CronJobService job, DateTimeOffset? after)
    {
        await UntilAsync(() => job.Next is { } next && (after is null || next > after), "the job never waited for its next occurrence");
        return job.Next!.Value;
    }

    /// <summary>Polls what the job does on its own thread; fails after a generous bound instead of hanging.</summary>
    private static async Task UntilAsync(Func<bool> condition, string failure)
    {
        for (var i = 0; i < 1000 && !condition(); i++)
        {
            await Task.Delay(10);
        }

        Assert.True(condition(), failure);
    }

    /// <summary>The fake clock's time, with every timer due <paramref name="early"/> sooner than asked.</summary>
    private sealed class EarlyTimers(FakeTimeProvider clock, TimeSpan early) : TimeProvider
    {
        private int _timersCreated;

        public int TimersCreated => Volatile.Read(ref _timersCreated);

        public override DateTimeOffset GetUtcNow() => clock.GetUtcNow();

        public override long GetTimestamp() => clock.GetTimestamp();

        public override long TimestampFrequency => clock.TimestampFrequency;

        public override ITimer CreateTimer(TimerCallback callback, object? state, TimeSpan dueTime, TimeSpan period)
        {
            Interlocked.Increment(ref _timersCreated);
            return clock.CreateTimer(callback, state, dueTime > early ? dueTime - early : dueTime, period);
        }
    }
}
