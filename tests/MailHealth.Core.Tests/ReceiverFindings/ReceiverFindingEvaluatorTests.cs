using MailHealth.Checks;
using MailHealth.ReceiverFindings;
using MailHealth.ReportTotals;
using MailHealth.Settings;
using MailHealth.Testing;

namespace MailHealth.Core.Tests.ReceiverFindings;

/// <summary>Each receivers' finding at its boundaries (docs/findings.md, "Receivers' reports"), on views built here.</summary>
public sealed class ReceiverFindingEvaluatorTests
{
    private const string Domain = "brand.example";

    private static readonly DateOnly Today = DateOnly.FromDateTime(TestClock.Yesterday.UtcDateTime).AddDays(1);

    private static readonly ReceiverFindingSettings Settings = new() { ReportAddresses = ["dmarc@reports.example"] };

    /// <summary>Counts of a source: <paramref name="messages"/>, of which <paramref name="passed"/> passed DMARC.</summary>
    private static DmarcCounts Counts(double messages, double passed = 0, double dkimAligned = 0, double ownSignatureFailed = 0) =>
        DmarcCounts.FromValues([messages, passed, dkimAligned, 0, 0, 0, messages, 0, 0, ownSignatureFailed]);

    private static ReceiverView View(params ReceiverSource[] sources) => new()
    {
        Domain = Domain,
        Today = Today,
        Sources = sources,
        SourceReportDays = 7,
        LastReportDay = Today.AddDays(-1),
    };

    private static IReadOnlyList<Finding> Evaluate(ReceiverView view) => ReceiverFindingEvaluator.Evaluate(view, Settings);

    [Fact]
    public void UnknownSender_AboveTheMessagesADay_IsAFinding_WithItsName()
    {
        var findings = Evaluate(View(new ReceiverSource("192.0.2.204", Counts(71), "forged.mailer.example", false, null, null)));

        var finding = Assert.Single(findings);
        Assert.Equal((ReceiverFindingCodes.UnknownSender, Severity.Warning, "192.0.2.204"), (finding.Code, finding.Severity, finding.Subject));
        Assert.Contains("forged.mailer.example, not confirmed", finding.Message, StringComparison.Ordinal);
        Assert.Equal(10.14, finding.Evidence!["failedPerDay"]);
    }

    [Fact]
    public void UnknownSender_AtTheThreshold_OrWithAlignedDkim_OrPassing_IsNone()
    {
        Assert.Empty(Evaluate(View(new ReceiverSource("192.0.2.1", Counts(70), null, false, null, null))));
        Assert.Empty(Evaluate(View(new ReceiverSource("192.0.2.2", Counts(700, passed: 600, dkimAligned: 600), null, false, null, null))));
        Assert.Empty(Evaluate(View(new ReceiverSource("192.0.2.3", Counts(700, passed: 700), null, false, null, null))));
    }

    [Fact]
    public void AuthorisedSender_FailingDmarc_IsBroken_NotUnknown()
    {
        var bySpf = Assert.Single(Evaluate(View(new ReceiverSource("198.51.100.220", Counts(100), "o220.relay.example", true, "relay.example", "include:_spf.relay.example"))));
        var bySignature = Assert.Single(Evaluate(View(new ReceiverSource("198.51.100.221", Counts(100, ownSignatureFailed: 100), null, false, null, null))));

        Assert.Equal((ReceiverFindingCodes.BrokenSender, "198.51.100.220"), (bySpf.Code, bySpf.Subject));
        Assert.Contains("include:_spf.relay.example", bySpf.Message, StringComparison.Ordinal);
        Assert.Equal(ReceiverFindingCodes.BrokenSender, bySignature.Code);
        Assert.Contains("DKIM", bySignature.Message, StringComparison.Ordinal);
        // Under the threshold: 70 in 7 days is 10 a day, not more.
        Assert.Empty(Evaluate(View(new ReceiverSource("198.51.100.222", Counts(70), null, false, null, "ip4:198.51.100.0/24"))));
    }

    [Theory]
    [InlineData(4, true)]
    [InlineData(3, false)]
    [InlineData(1, false)]
    public void ReportsMissing_AfterTheDaysWithoutAReport(int daysSinceLastReport, bool expected)
    {
        var view = View() with { LastReportDay = Today.AddDays(-daysSinceLastReport), Rua = ["mailto:DMARC@reports.example!10m", "mailto:other@example.net"] };

        var findings = Evaluate(view);

        Assert.Equal(expected, findings.Any(f => f.Code == ReceiverFindingCodes.ReportsMissing && f.Subject == Domain));
    }

    [Fact]
    public void ReportsMissing_OnlyWhenTheRuaNamesAMonitoredMailbox_AndSinceWatchedWhenNoneEverCame()
    {
        Assert.Empty(Evaluate(View() with { LastReportDay = Today.AddDays(-20), Rua = ["mailto:dmarc@elsewhere.example"] }));
        Assert.Empty(Evaluate(View() with { LastReportDay = null, WatchedSince = Today, Rua = ["mailto:dmarc@reports.example"] }));

        var never = Assert.Single(Evaluate(View() with { LastReportDay = null, WatchedSince = Today.AddDays(-4), Rua = ["mailto:dmarc@reports.example"] }));
        Assert.Contains("none has arrived yet", never.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TlsFailures_PerMxHost_ByResultType_BesideWhatTheProbeSaw()
    {
        var view = View() with
        {
            TlsFailures =
            [
                new ReportedTlsFailure("MX1.brand.example.", "certificate-expired", 12),
                new ReportedTlsFailure("mx1.brand.example", "validation-failure", 3),
                new ReportedTlsFailure("mx2.brand.example", "starttls-not-supported", 0.5),
            ],
            ProbeFindings = new Dictionary<string, IReadOnlyList<string>> { ["mx1.brand.example"] = ["TLS_CERT_EXPIRED (mx1.brand.example:25)"] },
        };

        var finding = Assert.Single(Evaluate(view));

        Assert.Equal((ReceiverFindingCodes.TlsFailuresReported, "mx1.brand.example"), (finding.Code, finding.Subject));
        Assert.Equal(15.0, finding.Evidence!["failedSessions"]);
        Assert.Equal(new Dictionary<string, object?> { ["certificate-expired"] = 12.0, ["validation-failure"] = 3.0 }, finding.Evidence["resultTypes"]);
        Assert.Contains("TLS_CERT_EXPIRED", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadyToEnforce_PNone_EveryDayAboveTheShare_ForTheWindow()
    {
        static ReceiverView Ready(int days, double lowestShare, string policy = "none") => View() with
        {
            Policy = policy,
            Days = [.. Enumerable.Range(1, days).Select(d => new ReceiverDay(Today.AddDays(-d), 1000, d == 5 ? lowestShare * 1000 : 996))],
        };

        var ready = Assert.Single(Evaluate(Ready(30, 0.99)));
        Assert.Equal((ReceiverFindingCodes.ReadyToEnforce, Severity.Info, Domain), (ready.Code, ready.Severity, ready.Subject));
        Assert.Equal(99.0, ready.Evidence!["lowestDayPercent"]);
        Assert.Single(Evaluate(Ready(27, 0.995)));

        Assert.Empty(Evaluate(Ready(30, 0.985)));
        Assert.Empty(Evaluate(Ready(26, 0.995)));
        Assert.Empty(Evaluate(Ready(30, 0.995, "quarantine")));
    }

    [Fact]
    public void Settings_OutOfRange_EachNamed()
    {
        var errors = new SettingErrors(ReceiverFindingSettings.Section);

        ReceiverFindingSettings.Validate(
            new ReceiverFindingSettings { WindowDays = 0, MissingReportDays = 0, TlsFailedSessions = 0, ReadyDays = 6, ReadyPassPercent = 101, ReportAddresses = ["mailto:dmarc@example.com"] },
            errors);

        Assert.Equal(
            ["WindowDays", "MissingReportDays", "TlsFailedSessions", "ReadyDays", "ReadyPassPercent", "ReportAddresses"],
            errors.Errors.Select(e => e.Split(':')[2]));
        var defaults = new SettingErrors(ReceiverFindingSettings.Section);
        ReceiverFindingSettings.Validate(new ReceiverFindingSettings(), defaults);
        Assert.Empty(defaults.Errors);
    }
}
