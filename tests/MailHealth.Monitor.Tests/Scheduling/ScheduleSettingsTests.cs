using MailHealth.Monitor.Scheduling;
using Microsoft.Extensions.Configuration;

namespace MailHealth.Monitor.Tests.Scheduling;

/// <summary>The schedule settings both hosts read: defaults in serve, the probe schedule required and the purge's and the DKIM sweep's fixed in Functions.</summary>
public sealed class ScheduleSettingsTests
{
    private static ScheduleSettings Read(ScheduleTimers timers, params (string Key, string Value)[] values)
    {
        var configuration = new ConfigurationBuilder()
            .AddInMemoryCollection(values.Select(v => new KeyValuePair<string, string?>(v.Key, v.Value)))
            .Build();
        var settings = new ScheduleSettings();
        settings.Read(configuration, timers);
        return settings;
    }

    [Fact]
    public void Read_InProcess_NothingSet_TheDefaults()
    {
        var settings = Read(ScheduleTimers.InProcess);

        Assert.Empty(settings.Problems);
        Assert.Equal(ScheduleSettings.DefaultSchedule, settings.Probes?.Expression);
        Assert.Equal(ScheduleSettings.DefaultPurgeSchedule, settings.Purge?.Expression);
        Assert.Equal(ScheduleSettings.DefaultDkimSweepSchedule, settings.DkimSweep?.Expression);
        Assert.Equal(ScheduleSettings.DefaultMailboxSchedule, settings.Mailbox?.Expression);
    }

    [Fact]
    public void Read_Functions_AMailboxSchedule_RefusedNotIgnored_AndServeTakesIt()
    {
        var functions = Read(ScheduleTimers.Functions, ("MAILHEALTH_SCHEDULE", "0 */5 * * * *"), ("MAILHEALTH_MAILBOX_SCHEDULE", "0 * * * * *"));
        var serve = Read(ScheduleTimers.InProcess, ("MAILHEALTH_MAILBOX_SCHEDULE", "0 * * * * *"));

        Assert.Null(functions.Mailbox);
        Assert.StartsWith("MAILHEALTH_MAILBOX_SCHEDULE: the Functions app polls the reports mailbox at the fixed '0 2-59/5 * * * *'", Assert.Single(functions.Problems), StringComparison.Ordinal);
        Assert.Equal("0 * * * * *", serve.Mailbox?.Expression);
    }

    [Fact]
    public void Read_Functions_NoSchedule_NotSet()
    {
        var settings = Read(ScheduleTimers.Functions);

        Assert.Null(settings.Probes);
        Assert.Equal(["MAILHEALTH_SCHEDULE: not set; the ScheduleProbes timer needs it (default 0 */5 * * * *, every 5 minutes)"], settings.Problems);
    }

    [Fact]
    public void Read_Functions_APurgeSchedule_RefusedNotIgnored()
    {
        var settings = Read(ScheduleTimers.Functions, ("MAILHEALTH_SCHEDULE", "0 */5 * * * *"), ("MAILHEALTH_PURGE_SCHEDULE", "0 0 4 * * *"));

        Assert.StartsWith("MAILHEALTH_PURGE_SCHEDULE: the Functions app purges at the fixed '0 30 3 * * *'", Assert.Single(settings.Problems), StringComparison.Ordinal);
    }

    [Fact]
    public void Read_Functions_ADkimSweepSchedule_RefusedNotIgnored()
    {
        var settings = Read(ScheduleTimers.Functions, ("MAILHEALTH_SCHEDULE", "0 */5 * * * *"), ("MAILHEALTH_DKIM_SWEEP_SCHEDULE", "0 0 5 * * *"));

        Assert.Null(settings.DkimSweep);
        Assert.StartsWith("MAILHEALTH_DKIM_SWEEP_SCHEDULE: the Functions app sweeps DKIM selectors at the fixed '0 0 4 * * *'", Assert.Single(settings.Problems), StringComparison.Ordinal);
    }

    [Fact]
    public void Read_InProcess_ADkimSweepSchedule_Taken()
    {
        var settings = Read(ScheduleTimers.InProcess, ("MAILHEALTH_DKIM_SWEEP_SCHEDULE", "0 15 2 * * *"));

        Assert.Empty(settings.Problems);
        Assert.Equal("0 15 2 * * *", settings.DkimSweep?.Expression);
    }

    [Theory]
    [InlineData(ScheduleTimers.InProcess)]
    [InlineData(ScheduleTimers.Functions)]
    public void Read_EitherHost_TheSameRules(ScheduleTimers timers)
    {
        var settings = Read(timers, ("MAILHEALTH_SCHEDULE", "0 */10 * * * *"), ("MailHealth:Monitor:Interval", "00:05:00"));
        var malformed = Read(timers, ("MAILHEALTH_SCHEDULE", "*/5 * * * *"));

        Assert.StartsWith("MAILHEALTH_SCHEDULE: '0 */10 * * * *' ticks 10 min after", Assert.Single(settings.Problems), StringComparison.Ordinal);
        Assert.StartsWith("MAILHEALTH_SCHEDULE: '*/5 * * * *' is not a cron expression of six fields", Assert.Single(malformed.Problems), StringComparison.Ordinal);
    }
}
