using MailHealth.Checks;
using MailHealth.Egress;
using MailHealth.Reports;
using MailHealth.Smtp;
using MailHealth.Targets;

namespace MailHealth.Core.Tests.Egress;

/// <summary>Egress analysis over reports built from data (the SMTP probe's output shape).</summary>
public sealed class EgressAnalysisTests
{
    /// <summary>A run of several targets, judged as the monitor does it: each report against the signals of all.</summary>
    private sealed record RunResult(IReadOnlyList<Report> Reports)
    {
        public IReadOnlyList<Finding> MonitorFindings => [.. Reports.SelectMany(r => r.MonitorFindings).DistinctBy(f => (f.Code, f.Subject))];

        public bool EgressBlocked => MonitorFindings.Any(f => f.Code == EgressFindingCodes.EgressBlocked);
    }

    private static RunResult ApplyRun(IReadOnlyList<Report> run, int minimumTargets = EgressAnalysis.DefaultMinimumTargets)
    {
        var signals = run.SelectMany(EgressAnalysis.SignalsOf).ToList();
        return new RunResult([.. run.Select(r => EgressAnalysis.Apply(r, signals, minimumTargets))]);
    }

    private static readonly DateTimeOffset At = new(2026, 11, 27, 12, 0, 0, TimeSpan.Zero);

    private static Finding Timeout(string host, int port) =>
        new(EgressFindingCodes.ConnectTimeout, Severity.Critical, $"{host}:{port}", $"connect to {host}:{port} timed out");

    private static CheckResult Smtp(string host, int port, params Finding[] findings) => new()
    {
        Id = $"smtp:{host}:{port}",
        Kind = "smtp",
        Subject = $"{host}:{port}",
        Status = findings.Any(f => f.Code == EgressFindingCodes.ConnectTimeout) ? CheckStatus.Fail : CheckResultBuilder.StatusOf(findings),
        DurationMs = 10,
        Findings = findings,
    };

    private static CheckResult TimedOut(string host, int port) => Smtp(host, port, Timeout(host, port));

    private static CheckResult Other(string id, string kind, params Finding[] findings) => new()
    {
        Id = id,
        Kind = kind,
        Subject = id,
        Status = CheckResultBuilder.StatusOf(findings),
        DurationMs = 1,
        Findings = findings,
    };

    private static Report Report(string domain, params CheckResult[] checks) => new()
    {
        Target = new Target { Id = domain.Replace('.', '-'), Domain = domain },
        StartedAt = At,
        FinishedAt = At,
        Status = Reports.Report.Overall(checks),
        Checks = checks,
    };

    /// <summary>Two targets, port 25 timed out on both, submission connected on one: the cloud case.</summary>
    private static List<Report> BlockedRun() =>
    [
        Report("a.example", TimedOut("mx.a.example", 25), Smtp("mx.a.example", 587), Smtp("mx.a.example", 465)),
        Report("b.example", TimedOut("mx1.b.example", 25), TimedOut("mx2.b.example", 25), Other("spf", "spf")),
    ];

    [Fact]
    public void Apply_Port25TimedOutEverywhereWhileSubmissionConnects_RaisesEgressBlocked()
    {
        var result = ApplyRun(BlockedRun());

        Assert.True(result.EgressBlocked);
        var finding = Assert.Single(result.MonitorFindings);
        Assert.Equal(EgressFindingCodes.EgressBlocked, finding.Code);
        Assert.Equal(Severity.Warning, finding.Severity);
        Assert.Equal(EgressAnalysis.Subject, finding.Subject);
        Assert.Equal(2, finding.Evidence!["targets"]);
        Assert.Equal(3, ((IEnumerable<string>)finding.Evidence["port25TimedOut"]!).Count());
    }

    [Fact]
    public void Apply_APort25ProbeThatNeverTriedToConnect_DoesNotHideTheBlock()
    {
        // An MX host without an address: its port-25 check is error with no connect at all.
        var unresolvable = new CheckResult
        {
            Id = "smtp:ghost.b.example:25",
            Kind = "smtp",
            Subject = "ghost.b.example:25",
            Status = CheckStatus.Error,
            DurationMs = 0,
            Error = "ghost.b.example has no address (A/AAAA) to connect to",
        };
        var run = BlockedRun();
        run[1] = run[1] with { Checks = [.. run[1].Checks, unresolvable] };

        var result = ApplyRun(run);

        Assert.True(result.EgressBlocked);
    }

    [Fact]
    public void Apply_ExplicitConnectEvidence_IsReadBeforeAnyGuess()
    {
        // A port-25 probe that connected and then failed on our side (status error, no findings).
        var connected = new CheckResult
        {
            Id = "smtp:mx3.b.example:25",
            Kind = "smtp",
            Subject = "mx3.b.example:25",
            Status = CheckStatus.Error,
            DurationMs = 10,
            Evidence = new Dictionary<string, object?> { [PortProbeSignal.ConnectedEvidence] = true, [PortProbeSignal.ConnectTimedOutEvidence] = false },
        };
        var run = BlockedRun();
        run[1] = run[1] with { Checks = [.. run[1].Checks, connected] };

        Assert.False(ApplyRun(run).EgressBlocked);
    }

    [Fact]
    public void Apply_Blocked_Port25ChecksBecomeErrorWithTimeoutsAsEvidenceOnly()
    {
        var result = ApplyRun(BlockedRun());

        var port25 = result.Reports.SelectMany(r => r.Checks).Where(c => c.Subject.EndsWith(":25", StringComparison.Ordinal)).ToList();
        Assert.Equal(3, port25.Count);
        Assert.All(port25, c =>
        {
            Assert.Equal(CheckStatus.Error, c.Status);
            Assert.Contains(EgressFindingCodes.EgressBlocked, c.Error, StringComparison.Ordinal);
            Assert.DoesNotContain(c.Findings, f => f.Code == EgressFindingCodes.ConnectTimeout);
            Assert.Equal(true, c.Evidence[PortProbeSignal.EgressBlockedEvidence]);
            var kept = Assert.Single((IEnumerable<Finding>)c.Evidence[EgressAnalysis.SuppressedFindingsEvidence]!);
            Assert.Equal(EgressFindingCodes.ConnectTimeout, kept.Code);
        });

        // Nothing critical is left to open an alert, and each report's status is recomputed.
        Assert.All(result.Reports, r => Assert.False(r.HasCritical));
        Assert.All(result.Reports, r => Assert.Equal(CheckStatus.Error, r.Status));
    }

    [Fact]
    public void Apply_Blocked_OtherChecksAreUntouched()
    {
        var tlsExpired = new Finding("TLS_CERT_EXPIRED", Severity.Critical, "mx.a.example:587", "expired");
        var run = BlockedRun();
        run[0] = Report("a.example", TimedOut("mx.a.example", 25), Smtp("mx.a.example", 587, tlsExpired));

        var result = ApplyRun(run);

        Assert.True(result.EgressBlocked);
        var submission = result.Reports[0].Checks.Single(c => c.Id == "smtp:mx.a.example:587");
        Assert.Same(run[0].Checks[1], submission);
        Assert.True(result.Reports[0].HasCritical);
        Assert.Equal(CheckStatus.Fail, result.Reports[0].Status);
        Assert.Same(run[1].Checks[2], result.Reports[1].Checks[2]);
    }

    [Fact]
    public void Apply_OneTargetAnswersOn25_NotBlockedAndReportsUnchanged()
    {
        var run = BlockedRun();
        run.Add(Report("c.example", Smtp("mx.c.example", 25)));

        var result = ApplyRun(run);

        Assert.False(result.EgressBlocked);
        Assert.Empty(result.MonitorFindings);
        Assert.All(run.Zip(result.Reports), pair => Assert.Same(pair.First, pair.Second));
        Assert.Contains(result.Reports[0].Checks[0].Findings, f => f.Code == EgressFindingCodes.ConnectTimeout);
    }

    [Fact]
    public void Apply_SubmissionAlsoTimesOut_NotBlocked()
    {
        // Nothing connects at all: the network (or every target) is down, not just port 25.
        var run = new List<Report>
        {
            Report("a.example", TimedOut("mx.a.example", 25), TimedOut("mx.a.example", 587)),
            Report("b.example", TimedOut("mx.b.example", 25), TimedOut("mx.b.example", 465)),
        };

        Assert.False(ApplyRun(run).EgressBlocked);
    }

    [Fact]
    public void Apply_Port25Refused_NotBlocked()
    {
        // A refusal is an answer: the packets got through.
        var refused = new Finding(EgressFindingCodes.ConnectRefused, Severity.Critical, "mx.b.example:25", "refused");
        var run = BlockedRun();
        run[1] = Report("b.example", Smtp("mx.b.example", 25, refused));

        Assert.False(ApplyRun(run).EgressBlocked);
    }

    [Fact]
    public void Apply_SingleTarget_NeedsMinimumTargetsOfOne()
    {
        var run = new List<Report> { Report("a.example", TimedOut("mx.a.example", 25), Smtp("mx.a.example", 587)) };

        Assert.False(ApplyRun(run).EgressBlocked);
        Assert.True(ApplyRun(run, minimumTargets: 1).EgressBlocked);
    }

    [Fact]
    public void Apply_Twice_GivesTheSameResult()
    {
        var once = ApplyRun(BlockedRun());

        var twice = ApplyRun(once.Reports);

        Assert.True(twice.EgressBlocked);
        Assert.All(twice.Reports, r => Assert.Single(r.MonitorFindings));
        var check = twice.Reports[0].Checks[0];
        Assert.Equal(CheckStatus.Error, check.Status);
        Assert.Single((IEnumerable<Finding>)check.Evidence[EgressAnalysis.SuppressedFindingsEvidence]!);
    }

    [Fact]
    public void Apply_TimeoutSignalledByEvidence_CountsLikeTheFinding()
    {
        var flagged = new CheckResult
        {
            Id = "smtp:mx.b.example:25",
            Kind = "smtp",
            Subject = "mx.b.example:25",
            Status = CheckStatus.Error,
            DurationMs = 1,
            Evidence = new Dictionary<string, object?> { [PortProbeSignal.ConnectTimedOutEvidence] = true },
        };
        var run = BlockedRun();
        run[1] = Report("b.example", flagged);

        Assert.True(ApplyRun(run).EgressBlocked);
    }

    [Fact]
    public void Apply_NoSmtpChecks_NotBlocked()
    {
        var run = new List<Report> { Report("a.example", Other("spf", "spf")), Report("b.example", Other("mx", "mx")) };

        Assert.False(ApplyRun(run).EgressBlocked);
    }
}
