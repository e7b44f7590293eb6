using MailHealth.Alerts;
using MailHealth.Checks;
using static MailHealth.Core.Tests.Alerts.AlertRuns;

namespace MailHealth.Core.Tests.Alerts;

/// <summary>Acknowledgement: only of an open alert, kept while it stays open, cleared when it opens again.</summary>
public sealed class AlertAcknowledgeTests
{
    private const string CheckId = "smtp:mx.demo.test:25";
    private static readonly DateTimeOffset AckAt = Start.AddMinutes(7);

    private static CheckResult Broken() => Check(CheckId, Critical("SMTP_CONNECT_REFUSED", "mx.demo.test:25", "refused"));

    private static CheckResult Clean() => Check(CheckId);

    [Fact]
    public void Acknowledge_OpenAlert_RecordsWhoAndWhenWithATransition()
    {
        var play = new AlertRuns();
        var open = play.Run(Broken()).Changed.Single();

        var result = AlertEvaluator.Acknowledge(open, "  ops on call ", AckAt);

        Assert.Equal(AcknowledgeOutcome.Acknowledged, result.Outcome);
        Assert.True(result.Succeeded);
        Assert.Null(result.Error);
        Assert.Equal(AckAt, result.Alert.AcknowledgedAt);
        Assert.Equal("ops on call", result.Alert.AcknowledgedBy);
        Assert.Equal(AlertStatus.Open, result.Alert.Status);
        Assert.Equal(
            new AlertTransition(open.Id, open.Key, AlertTransitionKind.Acknowledged, AckAt, null, Severity.Critical, "acknowledged by ops on call"),
            result.Transition);
    }

    [Fact]
    public void Acknowledge_PendingAlert_IsRefusedClearly()
    {
        var play = new AlertRuns();
        var pending = play.Run(Check(CheckId, Warning("SMTP_GREETING_SLOW", "mx.demo.test:25"))).Changed.Single();

        var result = AlertEvaluator.Acknowledge(pending, "ops", AckAt);

        Assert.Equal(AcknowledgeOutcome.NotOpen, result.Outcome);
        Assert.False(result.Succeeded);
        Assert.Null(result.Transition);
        Assert.Same(pending, result.Alert);
        Assert.Equal($"alert {pending.Id} is pending: only an open alert can be acknowledged", result.Error);
    }

    [Fact]
    public void Acknowledge_ResolvedAlert_IsRefused()
    {
        var play = new AlertRuns();
        play.Run(Broken());
        play.Run(Clean());
        var resolved = play.Run(Clean()).Changed.Single();

        var result = AlertEvaluator.Acknowledge(resolved, "ops", AckAt);

        Assert.Equal(AcknowledgeOutcome.NotOpen, result.Outcome);
        Assert.Contains("is resolved", result.Error, StringComparison.Ordinal);
    }

    [Fact]
    public void Acknowledge_Twice_KeepsTheFirstAndAddsNoTransition()
    {
        var play = new AlertRuns();
        var first = AlertEvaluator.Acknowledge(play.Run(Broken()).Changed.Single(), "alice", AckAt);

        var second = AlertEvaluator.Acknowledge(first.Alert, "bob", AckAt.AddMinutes(1));

        Assert.Equal(AcknowledgeOutcome.AlreadyAcknowledged, second.Outcome);
        Assert.True(second.Succeeded);
        Assert.Null(second.Transition);
        Assert.Equal("alice", second.Alert.AcknowledgedBy);
        Assert.Equal(AckAt, second.Alert.AcknowledgedAt);
    }

    [Theory]
    [InlineData("")]
    [InlineData("   ")]
    public void Acknowledge_WithoutAName_IsRefused(string by)
    {
        var play = new AlertRuns();
        var open = play.Run(Broken()).Changed.Single();

        var result = AlertEvaluator.Acknowledge(open, by, AckAt);

        Assert.Equal(AcknowledgeOutcome.ByRequired, result.Outcome);
        Assert.Null(result.Alert.AcknowledgedAt);
    }

    [Fact]
    public void Acknowledgement_SurvivesRunsWhileOpen_StaysAsHistoryOnResolve_AndIsClearedByReopen()
    {
        var play = new AlertRuns();
        var open = play.Run(Broken()).Changed.Single();
        play.Put(AlertEvaluator.Acknowledge(open, "ops", AckAt).Alert);

        var stillOpen = play.Run(Broken()).Changed.Single();
        var oneClean = play.Run(Clean()).Changed.Single();
        var resolved = play.Run(Clean()).Changed.Single();
        var reopened = play.Run(Broken());

        Assert.Equal("ops", stillOpen.AcknowledgedBy);
        Assert.Equal("ops", oneClean.AcknowledgedBy);
        Assert.Equal(AlertStatus.Resolved, resolved.Status);
        Assert.Equal(AckAt, resolved.AcknowledgedAt);
        var alert = reopened.Changed.Single();
        Assert.Equal(AlertStatus.Open, alert.Status);
        Assert.Equal(AlertTransitionKind.Opened, reopened.Transitions.Single().Kind);
        Assert.Null(alert.AcknowledgedAt);
        Assert.Null(alert.AcknowledgedBy);
        Assert.Null(alert.ResolvedAt);
        Assert.Equal(At(5), alert.OpenedAt);
    }
}
