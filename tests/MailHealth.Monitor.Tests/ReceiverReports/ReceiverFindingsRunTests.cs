using MailHealth.Alerts;
using MailHealth.Checks;
using MailHealth.Monitor.ReceiverReports;
using MailHealth.Monitor.Runs;
using MailHealth.Monitor.Tests.Runs;
using MailHealth.ReceiverFindings;
using MailHealth.Storage.ReceiverReports;
using MailHealth.Testing;
using MailHealth.Testing.Reports;

namespace MailHealth.Monitor.Tests.ReceiverReports;

/// <summary>
/// Receivers' reports as findings of a target's run, on Azurite and the peers: reports imported
/// as a door would, the run opens the alerts and the webhook goes out, and a later state (the
/// report aged out of the window, the clock moved on a day) resolves them.
/// </summary>
public sealed class ReceiverFindingsRunTests
{
    private const string Brand = "brand.senders.test";

    private static readonly string[] SenderCodes = [ReceiverFindingCodes.UnknownSender, ReceiverFindingCodes.BrokenSender];

    private static readonly Dictionary<string, string?> OpenAtOnce = new()
    {
        ["MailHealth:Alerts:OpenAfterRuns"] = "1",
        ["MailHealth:Alerts:ResolveAfterRuns"] = "1",
    };

    [Fact]
    public async Task SendersFailingDmarc_OpenAlertsAndNotify_ThenResolveWhenTheReportLeavesTheWindow()
    {
        var clock = new ShiftedClock();
        await using var monitor = await MonitorHarness.StartAsync(OpenAtOnce, clock);
        await monitor.AddTargetAsync("brand", Brand);
        // The last day of the 7-day window: a day later it is out of it.
        var day = TestClock.Yesterday.AddDays(-6);
        var rows = new[]
        {
            // a stranger: a forged PTR name, not in brand's SPF, no DKIM: 700 failing messages, 100 a day
            new AggregateRow { SourceIp = "192.0.2.204", Count = "700", HeaderFrom = Brand, Dkim = "fail", Spf = "fail" },
            // brand's SPF authorises it (ip4:198.51.100.220/30), but the envelope domain is the relay's own
            new AggregateRow { SourceIp = "198.51.100.220", Count = "700", HeaderFrom = Brand, EnvelopeFrom = "relay.example", Dkim = "fail", Spf = "fail", SpfResults = [new SpfCheckResult("relay.example", "pass")] },
            // the provider, passing
            new AggregateRow { SourceIp = "192.0.2.201", Count = "5000", HeaderFrom = Brand },
        };
        var stored = await monitor.Get<ReportIngestion>().IngestAsync(Reporters.GoogleMessage(Reporters.Google(Brand, day, rows)), ReportDoors.Cli, CancellationToken.None);
        Assert.Equal(ReportOutcomeStatus.Stored, Assert.Single(stored.Reports).Status);

        var run = await monitor.RunAsync("brand", MonitorHarness.Slot(0));
        await monitor.DrainAsync();

        var check = Assert.Single(run.Report!.Checks, c => c.Id == ReceiverFindingsCheck.Id);
        Assert.Equal(
            [(ReceiverFindingCodes.BrokenSender, "198.51.100.220"), (ReceiverFindingCodes.UnknownSender, "192.0.2.204")],
            check.Findings.Select(f => (f.Code, f.Subject)).Order());
        Assert.Contains("forged.mailer.senders.test", check.Findings.Single(f => f.Code == ReceiverFindingCodes.UnknownSender).Message, StringComparison.Ordinal);
        var opened = run.Transitions.Where(t => SenderCodes.Contains(t.Key.Code)).ToList();
        Assert.Equal(2, opened.Count);
        Assert.All(opened, t => Assert.Equal(AlertTransitionKind.Opened, t.Kind));
        Assert.Single(monitor.Webhook.Requests, r => r.BodyText.Contains(ReceiverFindingCodes.UnknownSender, StringComparison.Ordinal) && r.BodyText.Contains("192.0.2.204", StringComparison.Ordinal));
        Assert.Single(monitor.Webhook.Requests, r => r.BodyText.Contains(ReceiverFindingCodes.BrokenSender, StringComparison.Ordinal));

        // A day later the report is out of the senders' window: the findings are gone, the alerts resolve.
        clock.Shift = TimeSpan.FromDays(1);
        var later = await monitor.RunAsync("brand", MonitorHarness.Slot(1));
        await monitor.DrainAsync();

        Assert.Empty(Assert.Single(later.Report!.Checks, c => c.Id == ReceiverFindingsCheck.Id).Findings);
        var resolved = later.Transitions.Where(t => SenderCodes.Contains(t.Key.Code)).ToList();
        Assert.Equal(opened.Select(t => t.AlertId).Order(), resolved.Select(t => t.AlertId).Order());
        Assert.All(resolved, t => Assert.Equal(AlertTransitionKind.Resolved, t.Kind));
        Assert.Equal(2, monitor.Webhook.Requests.Count(r => r.BodyText.Contains("resolved", StringComparison.OrdinalIgnoreCase) && SenderCodes.Any(c => r.BodyText.Contains(c, StringComparison.Ordinal))));
    }

    [Fact]
    public async Task TlsFailuresReported_ToAnMxHost_AreAFinding_BesideWhatTheProbeSawThere()
    {
        await using var monitor = await MonitorHarness.StartAsync(OpenAtOnce);
        await monitor.AddTargetAsync("expired", "expired.smtp.test");
        var google = Reporters.GoogleTls("expired.smtp.test", TestClock.Yesterday);
        var spec = google with
        {
            Policies = [google.Policies[0] with { Failures = [google.Policies[0].Failures[0] with { ReceivingMxHostname = "mx.expired.smtp.test" }] }],
        };
        await monitor.Get<ReportIngestion>().IngestAsync(Containers.Gzip(TlsReportJson.Bytes(spec)), ReportDoors.Cli, CancellationToken.None);

        var run = await monitor.RunAsync("expired", MonitorHarness.Slot(0));

        var finding = Assert.Single(Assert.Single(run.Report!.Checks, c => c.Id == ReceiverFindingsCheck.Id).Findings);
        Assert.Equal((ReceiverFindingCodes.TlsFailuresReported, "mx.expired.smtp.test"), (finding.Code, finding.Subject));
        Assert.Contains("certificate-expired 12", finding.Message, StringComparison.Ordinal);
        Assert.Contains("TLS_CERT_EXPIRED", finding.Message, StringComparison.Ordinal);
        Assert.Contains(run.Transitions, t => t.Key.Code == ReceiverFindingCodes.TlsFailuresReported && t.Kind == AlertTransitionKind.Opened);
    }

    [Fact]
    public async Task ReportsStopped_ForARuaThisMonitorReads_OpensAnAlert_ThatTheNextReportResolves()
    {
        // none.auth.test: "v=DMARC1; p=none; rua=mailto:dmarc@none.auth.test"
        const string domain = "none.auth.test";
        var settings = new Dictionary<string, string?>(OpenAtOnce) { ["MailHealth:ReceiverFindings:ReportAddresses:0"] = "dmarc@none.auth.test" };
        await using var monitor = await MonitorHarness.StartAsync(settings);
        await monitor.AddTargetAsync("none", domain);
        await IngestPassingAsync(monitor, domain, TestClock.Yesterday.AddDays(-4));

        var quiet = await monitor.RunAsync("none", MonitorHarness.Slot(0));

        var finding = Assert.Single(Assert.Single(quiet.Report!.Checks, c => c.Id == ReceiverFindingsCheck.Id).Findings);
        Assert.Equal((ReceiverFindingCodes.ReportsMissing, domain), (finding.Code, finding.Subject));
        Assert.Equal(4, finding.Evidence!["daysWithoutReport"]);
        Assert.Contains(quiet.Transitions, t => t.Key.Code == ReceiverFindingCodes.ReportsMissing && t.Kind == AlertTransitionKind.Opened);

        await IngestPassingAsync(monitor, domain, TestClock.Yesterday);
        var again = await monitor.RunAsync("none", MonitorHarness.Slot(1));

        Assert.Empty(Assert.Single(again.Report!.Checks, c => c.Id == ReceiverFindingsCheck.Id).Findings);
        Assert.Contains(again.Transitions, t => t.Key.Code == ReceiverFindingCodes.ReportsMissing && t.Kind == AlertTransitionKind.Resolved);
    }

    [Fact]
    public async Task NoReportEver_ForARuaThisMonitorReads_CountsFromTheFirstRunThatSawIt_ARestartDoesNotPostponeIt()
    {
        var clock = new ShiftedClock();
        var settings = AwaitingSettings();
        await using var before = await MonitorHarness.StartAsync(settings, clock);
        await before.AddTargetAsync("never", AwaitingDomain);
        var first = await before.RunAsync("never", MonitorHarness.Slot(0));

        // A run each day (the target watched throughout), then on the fourth day another process (a
        // restart, or the other host) on the same storage: it remembers nothing itself.
        for (var day = 1; day < 4; day++)
        {
            clock.Shift = TimeSpan.FromDays(day);
            await before.RunAsync("never", MonitorHarness.Slot(day));
        }

        clock.Shift = TimeSpan.FromDays(4);
        await using var after = await MonitorHarness.StartAsync(settings, clock);
        after.OwnsStorage = false;
        var later = await after.RunAsync("never", MonitorHarness.Slot(4));

        Assert.Empty(ReceiversCheck(first).Findings);
        var finding = Assert.Single(ReceiversCheck(later).Findings);
        Assert.Equal((ReceiverFindingCodes.ReportsMissing, 3), (finding.Code, finding.Evidence!["daysWithoutReport"]));
        Assert.Contains("none has arrived yet", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task NoReportEver_ATargetUnwatchedForDays_CountsAgainFromItsReturn_NotFromTheOldRecord()
    {
        var clock = new ShiftedClock();
        var settings = AwaitingSettings();
        await using var before = await MonitorHarness.StartAsync(settings, clock);
        await before.AddTargetAsync("never", AwaitingDomain);
        await before.RunAsync("never", MonitorHarness.Slot(0));

        // No run for four days (the target deleted, or its rua named no monitored mailbox), then watched
        // again each day: three whole days without a report are counted from its return.
        clock.Shift = TimeSpan.FromDays(4);
        await using var after = await MonitorHarness.StartAsync(settings, clock);
        after.OwnsStorage = false;
        var back = await after.RunAsync("never", MonitorHarness.Slot(1));
        TargetRunOutcome? fourDaysOn = null;
        for (var day = 5; day <= 8; day++)
        {
            clock.Shift = TimeSpan.FromDays(day);
            fourDaysOn = await after.RunAsync("never", MonitorHarness.Slot(day));
        }

        Assert.Empty(ReceiversCheck(back).Findings);
        var finding = Assert.Single(ReceiversCheck(fourDaysOn!).Findings);
        Assert.Equal((ReceiverFindingCodes.ReportsMissing, 3), (finding.Code, finding.Evidence!["daysWithoutReport"]));
    }

    private const string AwaitingDomain = "none.auth.test";

    private static Dictionary<string, string?> AwaitingSettings()
    {
        var settings = new Dictionary<string, string?>(OpenAtOnce)
        {
            ["MailHealth:ReceiverFindings:ReportAddresses:0"] = "dmarc@none.auth.test",
            ["MailHealth:ReceiverFindings:MissingReportDays"] = "3",
        };
        foreach (var (key, value) in PeerStorage.Settings(PeerStorage.UniquePrefix()))
        {
            settings[key] = value;
        }

        return settings;
    }

    private static CheckResult ReceiversCheck(TargetRunOutcome run) => Assert.Single(run.Report!.Checks, c => c.Id == ReceiverFindingsCheck.Id);

    [Fact]
    public async Task PNone_WithThirtyDaysOfPassingReports_IsReadyToEnforce()
    {
        const string domain = "none.auth.test";
        await using var monitor = await MonitorHarness.StartAsync();
        await monitor.AddTargetAsync("ready", domain);
        for (var day = 0; day < 30; day++)
        {
            await IngestPassingAsync(monitor, domain, TestClock.Yesterday.AddDays(-day));
        }

        var run = await monitor.RunAsync("ready", MonitorHarness.Slot(0));

        var finding = Assert.Single(Assert.Single(run.Report!.Checks, c => c.Id == ReceiverFindingsCheck.Id).Findings);
        Assert.Equal((ReceiverFindingCodes.ReadyToEnforce, domain), (finding.Code, finding.Subject));
        Assert.Equal((30, 100.0), (finding.Evidence!["days"], finding.Evidence["passPercent"]));
    }

    [Fact]
    public async Task TargetWithoutReports_AndNoMonitoredRua_HasNoReceiversCheck()
    {
        await using var monitor = await MonitorHarness.StartAsync();
        await monitor.AddTargetAsync("quiet", "expired.smtp.test");

        var run = await monitor.RunAsync("quiet", MonitorHarness.Slot(0));

        Assert.DoesNotContain(run.Report!.Checks, c => c.Id == ReceiverFindingsCheck.Id);
    }

    /// <summary>A report of <paramref name="day"/> whose 100 messages from brand's provider all pass.</summary>
    private static async Task IngestPassingAsync(MonitorHarness monitor, string domain, DateTimeOffset day)
    {
        var spec = Reporters.Google(domain, day, [new AggregateRow { SourceIp = "192.0.2.201", Count = "100", HeaderFrom = domain }]);
        var record = await monitor.Get<ReportIngestion>().IngestAsync(Reporters.GoogleMessage(spec), ReportDoors.Cli, CancellationToken.None);
        Assert.Equal(ReportOutcomeStatus.Stored, Assert.Single(record.Reports).Status);
    }

    /// <summary>The system clock moved on by <see cref="Shift"/>; timers run on the system's.</summary>
    private sealed class ShiftedClock : TimeProvider
    {
        public TimeSpan Shift { get; set; }

        public override DateTimeOffset GetUtcNow() => System.GetUtcNow() + Shift;
    }
}
