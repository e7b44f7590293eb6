using MailHealth.Alerts;
using MailHealth.Checks;
using MailHealth.Dkim;
using MailHealth.Memory;
using MailHealth.Monitor.Caching;
using MailHealth.Monitor.Dkim;
using MailHealth.Monitor.Tests.Runs;
using MailHealth.Storage.Alerts;
using MailHealth.Storage.Dkim;
using MailHealth.Storage.Latest;
using MailHealth.Storage.Runs;
using MailHealth.Storage.Targets;
using MailHealth.Targets;
using Microsoft.Extensions.Time.Testing;

namespace MailHealth.Monitor.Tests.Dkim;

/// <summary>
/// The monitor sweeps a target's DKIM selectors at its first run and then daily, remembers them on
/// Azurite, and its runs check what it remembers without guessing (peers: Knot's auth.test keys).
/// </summary>
public sealed class DkimSweepServiceTests
{
    private static FakeTimeProvider Clock() => new(MonitorHarness.Slot(0));

    [Fact]
    public async Task FirstRun_SweepsAndRemembers_LaterRunsCheckWhatItFound()
    {
        var time = Clock();
        await using var monitor = await MonitorHarness.StartAsync(time: time);
        await monitor.AddTargetAsync("common", "common.auth.test");

        var first = await monitor.RunAsync("common", MonitorHarness.Slot(0));
        var swept = await monitor.Get<DkimSelectorStore>().GetAsync("common");
        time.Advance(TimeSpan.FromMinutes(5));
        var second = await monitor.RunAsync("common", MonitorHarness.Slot(1));

        Assert.Equal(["default", "google", "selector1"], swept.DkimSelectors.Select(s => s.Selector));
        Assert.Equal(DkimSweepOutcome.Found, swept.LastDkimSweep!.Outcome);
        Assert.Equal(swept.LastDkimSweep, (await monitor.Get<DkimSelectorStore>().GetAsync("common")).LastDkimSweep);
        foreach (var report in new[] { first.Report!, second.Report! })
        {
            Assert.Equal(["dkim", "dkim:default", "dkim:google", "dkim:selector1"], report.Checks.Where(c => c.Kind == "dkim").Select(c => c.Id));
            Assert.StartsWith("remembered", (string)report.Checks.Single(c => c.Id == "dkim").Evidence["mode"]!, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task DomainWithoutDkim_IsAWarningThatOpensAnAlert_NotASilentPass()
    {
        await using var monitor = await MonitorHarness.StartAsync(time: Clock());
        await monitor.AddTargetAsync("bare", "bare.auth.test");

        await monitor.RunAsync("bare", MonitorHarness.Slot(0));
        var second = await monitor.RunAsync("bare", MonitorHarness.Slot(1));

        var dkim = second.Report!.Checks.Single(c => c.Id == "dkim");
        Assert.Equal(CheckStatus.Warn, dkim.Status);
        Assert.Equal(DkimFindingCodes.NoSelector, Assert.Single(dkim.Findings).Code);
        Assert.Contains(second.Transitions, t => t.Key.Code == DkimFindingCodes.NoSelector && t.Kind == AlertTransitionKind.Opened);
        Assert.Equal(DkimSweepOutcome.NoDomainKey, (await monitor.Get<DkimSelectorStore>().GetAsync("bare")).LastDkimSweep!.Outcome);
    }

    [Fact]
    public async Task DailySweep_SweepsWhatIsDue_AndSkipsTheRest()
    {
        var time = Clock();
        await using var monitor = await MonitorHarness.StartAsync(time: time);
        await monitor.AddTargetAsync("common", "common.auth.test");
        await monitor.AddTargetAsync("bare", "bare.auth.test");
        await monitor.Get<TargetStore>().UpsertAsync(TargetValidator.Validate(new TargetDefinition { Id = "named", Domain = "keys.auth.test", DkimSelectors = ["rsa2048"] }).Target!);
        await monitor.Get<TargetStore>().UpsertAsync(TargetValidator.Validate(new TargetDefinition { Id = "smtp-only", Domain = "demo.test", Checks = ["smtp"] }).Target!);
        var sweeps = monitor.Get<DkimSweepService>();
        await monitor.RunAsync("common", MonitorHarness.Slot(0));

        var sameDay = await sweeps.SweepDueAsync(CancellationToken.None);
        time.Advance(TimeSpan.FromDays(1));
        var nextDay = await sweeps.SweepDueAsync(CancellationToken.None);

        // The first run swept "common"; the same day only "bare", never swept, is due; the targets
        // that name their selectors or do not run dkim are never swept.
        Assert.Equal((1, 0), (sameDay.Swept, sameDay.Found));
        Assert.Equal((2, 1), (nextDay.Swept, nextDay.Found));
        Assert.Equal(2 + 17, nextDay.Questions);
        Assert.Equal(time.GetUtcNow(), (await monitor.Get<DkimSelectorStore>().GetAsync("common")).LastDkimSweep!.At);
        Assert.Null((await monitor.Get<DkimSelectorStore>().GetAsync("named")).LastDkimSweep);
        Assert.Null((await monitor.Get<DkimSelectorStore>().GetAsync("smtp-only")).LastDkimSweep);
    }

    [Fact]
    public async Task ReportedSelector_IsCheckedInEarnest_BesideTheConfiguredOnes()
    {
        var time = Clock();
        await using var monitor = await MonitorHarness.StartAsync(time: time);
        await monitor.Get<TargetStore>().UpsertAsync(TargetValidator.Validate(new TargetDefinition { Id = "keys", Domain = "keys.auth.test", DkimSelectors = ["rsa2048"], Ports = ["25"] }).Target!);
        await monitor.Get<DkimSelectorStore>().RecordReportedAsync("keys", ["rsa1024"], time.GetUtcNow());

        var outcome = await monitor.RunAsync("keys", MonitorHarness.Slot(0));

        var reported = outcome.Report!.Checks.Single(c => c.Id == "dkim:rsa1024");
        Assert.Equal("reported", reported.Evidence["source"]);
        Assert.Equal(Severity.Warning, Assert.Single(reported.Findings, f => f.Code == DkimFindingCodes.KeyWeak).Severity);
        Assert.Null((await monitor.Get<DkimSelectorStore>().GetAsync("keys")).LastDkimSweep);
    }

    [Fact]
    public async Task RemovedTarget_ForgetsItsSelectors()
    {
        await using var monitor = await MonitorHarness.StartAsync(time: Clock());
        await monitor.AddTargetAsync("common", "common.auth.test");
        await monitor.RunAsync("common", MonitorHarness.Slot(0));

        var removal = new Targets.TargetRemoval(
            monitor.Get<TargetStore>(), monitor.Get<LatestStatusStore>(), monitor.Get<RunStore>(), monitor.Get<AlertStore>(), monitor.Get<DkimSelectorStore>(), monitor.Get<WriteClock>());
        await removal.RemoveAsync("common", CancellationToken.None);

        Assert.Null((await monitor.Get<DkimSelectorStore>().GetAsync("common")).LastDkimSweep);
        Assert.Empty(await monitor.Get<AlertStore>().GetOfTargetAsync("common"));
    }
}
