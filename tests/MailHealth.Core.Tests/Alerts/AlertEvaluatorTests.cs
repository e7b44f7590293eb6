using MailHealth.Alerts;
using MailHealth.Checks;
using static MailHealth.Core.Tests.Alerts.AlertRuns;

namespace MailHealth.Core.Tests.Alerts;

/// <summary>The alert state machine over sequences of runs, with the default policy (open after 2, critical after 1, resolve after 2).</summary>
public sealed class AlertEvaluatorTests
{
    private const string Code = "SMTP_STARTTLS_MISSING";
    private const string Subject = "mx.demo.test:25";
    private const string CheckId = "smtp:mx.demo.test:25";

    /// <summary>
    /// One finding over a sequence of runs. Runs: W warning seen, C critical seen, I info seen,
    /// '.' its check clean, E its check in error (with the finding inside, which must not count),
    /// '-' its check missing from the report. States after each run: '_' no alert, P pending,
    /// O open, R resolved. Transitions of each run: '.' none, o opened, r resolved.
    /// </summary>
    [Theory]
    [InlineData("W.W.W.", "P_P_P_", "......")] // a flapping warning never opens with N=2
    [InlineData("WW", "PO", ".o")]
    [InlineData("C", "O", "o")] // critical opens in one run
    [InlineData("CC..", "OOOR", "o..r")] // resolves after M=2 clean runs
    [InlineData("WW.W..", "POOOOR", ".o...r")] // one clean run between sightings does not resolve
    [InlineData("CEEE..", "OOOOOR", "o....r")] // error runs freeze an open alert
    [InlineData("C.E.", "OOOR", "o..r")] // an error run keeps the clean count, neither adds nor resets it
    [InlineData("WEW", "PPO", "..o")] // an error run does not break a pending streak
    [InlineData("EEE", "___", "...")] // findings of a check in error open nothing
    [InlineData("C--", "OOR", "o.r")] // a check that no longer exists counts as clean
    [InlineData("C..C", "OORO", "o.ro")] // re-opens after resolve
    [InlineData("WW..W.WW", "POORPRPO", ".o.r...o")] // a resolved alert starts over: N runs again
    [InlineData("III", "___", "...")] // info is below the default threshold
    [InlineData("WC", "PO", ".o")]
    [InlineData("W.C", "P_O", "..o")]
    [InlineData("C.C.C.", "OOOOOO", "o.....")] // clean runs must be consecutive to resolve
    [InlineData("W.WWE.W..", "P_POOOOOR", "...o....r")] // the example of docs/alerts.md
    public void Evaluate_Sequence_GivesExactStatesAndTransitions(string runs, string states, string transitions)
    {
        var play = new AlertRuns();
        var seenStates = "";
        var seenTransitions = "";
        foreach (var step in runs)
        {
            var evaluation = play.Run(Step(step));
            seenStates += play.Store.Values.SingleOrDefault()?.Status switch
            {
                null => '_',
                AlertStatus.Pending => 'P',
                AlertStatus.Open => 'O',
                _ => 'R',
            };
            seenTransitions += evaluation.Transitions.SingleOrDefault()?.Kind switch
            {
                null => '.',
                AlertTransitionKind.Opened => 'o',
                AlertTransitionKind.Resolved => 'r',
                _ => '?',
            };
        }

        Assert.Equal(states, seenStates);
        Assert.Equal(transitions, seenTransitions);
    }

    [Fact]
    public void Evaluate_DocumentedExample_CountsAsTheTableSays()
    {
        var play = new AlertRuns();
        var counters = new List<string>();

        foreach (var step in "W.WWE.W..")
        {
            play.Run(Step(step));
            counters.Add(play.Store.Values.SingleOrDefault() is { } a ? $"{a.ConsecutiveSeen}/{a.ConsecutiveClean}" : "-");
        }

        Assert.Equal(["1/0", "-", "1/0", "2/0", "2/0", "0/1", "1/0", "0/1", "0/2"], counters);
    }

    private static CheckResult[] Step(char step)
    {
        var other = Check("spf");
        return step switch
        {
            'W' => [Check(CheckId, Warning(Code, Subject)), other],
            'C' => [Check(CheckId, Critical(Code, Subject)), other],
            'I' => [Check(CheckId, Info(Code, Subject)), other],
            '.' => [Check(CheckId), other],
            'E' => [Check(CheckId, CheckStatus.Error, Critical(Code, Subject), Warning("DNS_TIMEOUT", "demo.test")), other],
            '-' => [other],
            _ => throw new ArgumentOutOfRangeException(nameof(step)),
        };
    }

    [Fact]
    public void Evaluate_CriticalFinding_OpensWithTheRunsTimeAndId()
    {
        var play = new AlertRuns();

        var evaluation = play.Run(Check(CheckId, Critical(Code, Subject, "STARTTLS is not offered")));

        var alert = Assert.Single(evaluation.Changed);
        var transition = Assert.Single(evaluation.Transitions);
        Assert.Equal(new AlertKey("demo", Code, Subject), alert.Key);
        Assert.Equal(CheckId, alert.CheckId);
        Assert.Equal(AlertStatus.Open, alert.Status);
        Assert.Equal(At(1), alert.OpenedAt);
        Assert.Equal(RunId(1), alert.OpenedRunId);
        Assert.Equal(At(1), alert.FirstSeenAt);
        Assert.Equal(1, alert.ConsecutiveSeen);
        Assert.Equal(new AlertTransition(alert.Id, alert.Key, AlertTransitionKind.Opened, At(1), RunId(1), Severity.Critical, "STARTTLS is not offered"), transition);
    }

    [Fact]
    public void Evaluate_ResolveTransition_CarriesTheResolvingRunAndSaysWhy()
    {
        var play = new AlertRuns();
        play.Run(Check(CheckId, Critical(Code, Subject)));
        play.Run(Check(CheckId));

        var evaluation = play.Run(Check(CheckId));

        var alert = Assert.Single(evaluation.Changed);
        var transition = Assert.Single(evaluation.Transitions);
        Assert.Equal(AlertStatus.Resolved, alert.Status);
        Assert.Equal(At(3), alert.ResolvedAt);
        Assert.Equal(RunId(3), alert.ResolvedRunId);
        Assert.Equal(At(1), alert.OpenedAt);
        Assert.Equal(2, alert.ConsecutiveClean);
        Assert.Equal(AlertTransitionKind.Resolved, transition.Kind);
        Assert.Equal(At(3), transition.At);
        Assert.Equal(RunId(3), transition.RunId);
        Assert.Equal($"{Code} on {Subject} not seen in 2 consecutive runs (last seen 2026-11-29 16:05:00Z)", transition.Message);
    }

    [Fact]
    public void Evaluate_WhileOpen_TakesTheLatestSeverityAndMessageWithoutNewTransition()
    {
        var play = new AlertRuns();
        play.Run(Check(CheckId, Warning(Code, Subject, "first words")));
        play.Run(Check(CheckId, Warning(Code, Subject, "first words")));

        var evaluation = play.Run(Check(CheckId, Critical(Code, Subject, "worse now")));

        Assert.Empty(evaluation.Transitions);
        var alert = Assert.Single(evaluation.Changed);
        Assert.Equal(AlertStatus.Open, alert.Status);
        Assert.Equal(Severity.Critical, alert.Severity);
        Assert.Equal("worse now", alert.Message);
        Assert.Equal(3, alert.ConsecutiveSeen);
        Assert.Equal(At(3), alert.LastSeenAt);
        Assert.Equal(At(2), alert.OpenedAt);
    }

    [Fact]
    public void Evaluate_TwoSubjectsOfOneCode_AreTwoAlerts()
    {
        var play = new AlertRuns();

        var evaluation = play.Run(
            Check("smtp:mx1.demo.test:25", Critical("SMTP_CONNECT_REFUSED", "mx1.demo.test:25")),
            Check("smtp:mx2.demo.test:25", Critical("SMTP_CONNECT_REFUSED", "mx2.demo.test:25")));

        Assert.Equal(2, evaluation.Transitions.Count);
        Assert.Equal(["mx1.demo.test:25", "mx2.demo.test:25"], play.Store.Values.Select(a => a.Key.Subject).Order(StringComparer.Ordinal));
        Assert.NotEqual(evaluation.Changed[0].Id, evaluation.Changed[1].Id);
        Assert.All(evaluation.Changed, a => Assert.Equal(AlertStatus.Open, a.Status));
    }

    [Fact]
    public void Evaluate_OneKeySeenTwiceInARun_IsOneAlertWithTheWorstSeverity()
    {
        var play = new AlertRuns();

        var evaluation = play.Run(
            Check("spf", Warning("DNS_SERVFAIL", "demo.test", "spf saw it")),
            Check("dmarc", Critical("DNS_SERVFAIL", "demo.test", "dmarc saw it")));

        var alert = Assert.Single(evaluation.Changed);
        Assert.Equal(Severity.Critical, alert.Severity);
        Assert.Equal("dmarc", alert.CheckId);
        Assert.Equal(AlertStatus.Open, alert.Status);
    }

    [Fact]
    public void Evaluate_MonitorFindings_AreNeverTargetAlerts()
    {
        var play = new AlertRuns();
        var egress = Warning("SMTP_EGRESS_BLOCKED", "monitor");

        play.Run(play.Report([egress], Check("spf")));
        var evaluation = play.Run(play.Report([egress], Check("spf")));

        Assert.Empty(evaluation.Changed);
        Assert.Empty(play.Store);
    }

    [Fact]
    public void Evaluate_PendingAlertAbsentOnce_IsDroppedWithoutTransition()
    {
        var play = new AlertRuns();
        play.Run(Check(CheckId, Warning(Code, Subject)));

        var evaluation = play.Run(Check(CheckId));

        var dropped = Assert.Single(evaluation.Dropped);
        Assert.Equal(AlertStatus.Pending, dropped.Status);
        Assert.Empty(evaluation.Changed);
        Assert.Empty(evaluation.Transitions);
    }

    [Fact]
    public void Evaluate_ReSeenResolvedAlertAbsentAgain_GoesBackToResolvedKeepingItsHistory()
    {
        var play = new AlertRuns();
        play.Run(Check(CheckId, Critical(Code, Subject)));
        play.Run(Check(CheckId));
        play.Run(Check(CheckId));
        play.Run(Check(CheckId, Warning(Code, Subject)));

        var evaluation = play.Run(Check(CheckId));

        var alert = Assert.Single(evaluation.Changed);
        Assert.Empty(evaluation.Dropped);
        Assert.Empty(evaluation.Transitions);
        Assert.Equal(AlertStatus.Resolved, alert.Status);
        Assert.Equal(At(1), alert.OpenedAt);
        Assert.Equal(At(3), alert.ResolvedAt);
        Assert.Equal(0, alert.ConsecutiveSeen);
    }

    [Fact]
    public void Evaluate_ResolvedAlertNotSeen_IsNotRewritten()
    {
        var play = new AlertRuns();
        play.Run(Check(CheckId, Critical(Code, Subject)));
        play.Run(Check(CheckId));
        play.Run(Check(CheckId));

        var evaluation = play.Run(Check(CheckId));

        Assert.Empty(evaluation.Changed);
        Assert.Empty(evaluation.Transitions);
        Assert.Equal(AlertStatus.Resolved, play.Store.Values.Single().Status);
    }

    [Fact]
    public void Evaluate_WholeKindInError_FreezesTheAlertsOfItsChecks()
    {
        var play = new AlertRuns();
        play.Run(Check(CheckId, Critical(Code, Subject)), Check("mx"));
        var frozen = play.Store.Values.Single();

        // The smtp check threw: DomainChecker reports one error result with the kind as its id.
        play.Run(Check("smtp", CheckStatus.Error), Check("mx"));
        var evaluation = play.Run(Check("smtp", CheckStatus.Error), Check("mx"));

        Assert.Empty(evaluation.Changed);
        Assert.Equal(frozen, play.Store.Values.Single());
    }

    [Fact]
    public void Evaluate_MxInErrorWithoutExplicitHosts_FreezesTheMissingHostChecks()
    {
        var play = new AlertRuns();
        play.Run(Check(CheckId, Critical(Code, Subject)), Check("ptr:192.0.2.1", Warning("PTR_MISSING", "192.0.2.1")), Check("mx"));
        play.Run(Check(CheckId, Critical(Code, Subject)), Check("ptr:192.0.2.1", Warning("PTR_MISSING", "192.0.2.1")), Check("mx"));

        // The MX lookup timed out: no hosts, so no smtp and ptr checks at all.
        play.Run(Check("mx", CheckStatus.Error), Check("spf"));
        var evaluation = play.Run(Check("mx", CheckStatus.Error), Check("spf"));

        Assert.Empty(evaluation.Transitions);
        Assert.All(play.Store.Values, a => Assert.Equal(AlertStatus.Open, a.Status));
        Assert.All(play.Store.Values, a => Assert.Equal(0, a.ConsecutiveClean));
    }

    [Fact]
    public void Evaluate_MxInErrorWithExplicitHosts_MissingHostCheckCountsAsClean()
    {
        var play = new AlertRuns(target: new() { Id = "demo", Domain = "demo.test", Hosts = ["mx.demo.test"] });
        play.Run(Check(CheckId, Critical(Code, Subject)), Check("mx"));

        play.Run(Check("mx", CheckStatus.Error));
        var evaluation = play.Run(Check("mx", CheckStatus.Error));

        Assert.Equal(AlertTransitionKind.Resolved, Assert.Single(evaluation.Transitions).Kind);
    }

    [Fact]
    public void Evaluate_CustomPolicy_OpensAfterThreeAndIgnoresWarnings()
    {
        var play = new AlertRuns(new AlertPolicy { MinimumSeverity = Severity.Critical, OpenAfterRuns = 3, OpenAfterRunsCritical = 3, ResolveAfterRuns = 1 });
        CheckResult[] both = [Check(CheckId, Critical(Code, Subject)), Check("spf", Warning("SPF_NEUTRAL_ALL", "demo.test"))];

        var first = play.Run(both);
        var second = play.Run(both);
        var third = play.Run(both);
        var clean = play.Run(Check(CheckId), Check("spf"));

        Assert.Empty(first.Transitions);
        Assert.Empty(second.Transitions);
        Assert.Equal(AlertTransitionKind.Opened, Assert.Single(third.Transitions).Kind);
        Assert.Equal(AlertTransitionKind.Resolved, Assert.Single(clean.Transitions).Kind);
        Assert.EndsWith("not seen in the last run (last seen 2026-11-29 16:15:00Z)", clean.Transitions[0].Message, StringComparison.Ordinal);
        Assert.Single(play.Store);
    }

    [Fact]
    public void Evaluate_Output_IsOrderedByAlertId()
    {
        var play = new AlertRuns();
        var evaluation = play.Run(
            Check("spf", Critical("SPF_PERMISSIVE_ALL", "demo.test")),
            Check("dmarc", Critical("DMARC_SYNTAX_ERROR", "demo.test")),
            Check(CheckId, Critical(Code, Subject)));

        Assert.Equal(evaluation.Changed.Select(a => a.Id).Order(StringComparer.Ordinal), evaluation.Changed.Select(a => a.Id));
        Assert.Equal(evaluation.Changed.Select(a => a.Id), evaluation.Transitions.Select(t => t.AlertId));
    }

    [Fact]
    public void Evaluate_EveryStateItWrites_CarriesTheRun()
    {
        var play = new AlertRuns();
        play.Run(Check(CheckId, Warning(Code, Subject)), Check("spf", Critical("SPF_PERMERROR", "demo.test")));

        var evaluation = play.Run(Check(CheckId, Warning(Code, Subject)), Check("spf"));

        Assert.Equal(2, evaluation.Changed.Count);
        Assert.All(evaluation.Changed, a => Assert.Equal(RunId(2), a.LastRunId));
        Assert.Equal(0, evaluation.AlreadyCounted);
    }

    [Fact]
    public void Evaluate_ARunAgainAfterPartOfItsSaveLanded_CountsItOnceForEachAlert()
    {
        // Two pending warnings; the second run opens both. Its save is cut after the first alert's
        // transaction, and the run is probed and evaluated again.
        var play = new AlertRuns();
        var findings = new[] { Check("smtp:a:25", Warning(Code, "a:25")), Check("smtp:b:25", Warning(Code, "b:25")) };
        play.Run(findings);
        var stored = play.Store.Values.OrderBy(a => a.Id, StringComparer.Ordinal).ToList();
        var first = AlertEvaluator.Evaluate(stored, play.Report(findings), RunId(2), play.Policy);
        var landed = first.Changed[0];

        var again = AlertEvaluator.Evaluate([landed, stored[1]], play.Report(findings), RunId(2), play.Policy);

        Assert.Equal(2, first.Transitions.Count);
        Assert.Equal(1, again.AlreadyCounted);
        var b = Assert.Single(again.Changed);
        Assert.Equal(stored[1].Id, b.Id);
        Assert.Equal((AlertStatus.Open, 2), (b.Status, b.ConsecutiveSeen));
        Assert.Equal(b.Id, Assert.Single(again.Transitions).AlertId);
        // The alert that landed is not advanced a second time.
        Assert.Equal((AlertStatus.Open, 2), (landed.Status, landed.ConsecutiveSeen));
    }

    [Fact]
    public void Evaluate_AlertOfAnotherTarget_IsRefused()
    {
        var play = new AlertRuns();
        var stranger = new Alert
        {
            Key = new AlertKey("other", Code, Subject),
            CheckId = CheckId,
            Severity = Severity.Warning,
            Message = "m",
            Status = AlertStatus.Open,
            FirstSeenAt = Start,
            LastSeenAt = Start,
        };

        Assert.Throws<ArgumentException>(() => AlertEvaluator.Evaluate([stranger], play.Report(Check("spf")), "run", play.Policy));
    }

    [Theory]
    [InlineData(0, 1, 1)]
    [InlineData(1, 0, 1)]
    [InlineData(1, 1, 0)]
    public void Evaluate_PolicyBelowOneRun_IsRefused(int open, int openCritical, int resolve)
    {
        var play = new AlertRuns();
        var policy = new AlertPolicy { OpenAfterRuns = open, OpenAfterRunsCritical = openCritical, ResolveAfterRuns = resolve };

        Assert.Throws<ArgumentOutOfRangeException>(() => AlertEvaluator.Evaluate([], play.Report(Check("spf")), "run", policy));
    }
}
