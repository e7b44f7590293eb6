using MailHealth.Alerts;
using MailHealth.Checks;
using MailHealth.Reports;
using MailHealth.Targets;

namespace MailHealth.Core.Tests.Alerts;

/// <summary>Hand-built reports and a store that plays runs through the state machine, as the monitor will.</summary>
internal sealed class AlertRuns(AlertPolicy? policy = null, Target? target = null)
{
    public static readonly DateTimeOffset Start = new(2026, 11, 29, 16, 0, 0, TimeSpan.Zero);

    private readonly Dictionary<string, Alert> _store = new(StringComparer.Ordinal);
    private int _runs;

    public AlertPolicy Policy { get; } = policy ?? new AlertPolicy();

    public Target Target { get; } = target ?? new Target { Id = "demo", Domain = "demo.test" };

    public IReadOnlyDictionary<string, Alert> Store => _store;

    public List<AlertEvaluation> Evaluations { get; } = [];

    public static CheckResult Check(string id, CheckStatus status, params Finding[] findings) => new()
    {
        Id = id,
        Kind = id.Split(':', 2)[0],
        Subject = id.Contains(':', StringComparison.Ordinal) ? id.Split(':', 2)[1] : "demo.test",
        Status = status,
        DurationMs = 1,
        Findings = findings,
        Error = status == CheckStatus.Error ? "could not check" : null,
    };

    public static CheckResult Check(string id, params Finding[] findings) =>
        Check(id, CheckResultBuilder.StatusOf(findings), findings);

    public static Finding Warning(string code, string subject, string message = "seen") => new(code, Severity.Warning, subject, message);

    public static Finding Critical(string code, string subject, string message = "seen") => new(code, Severity.Critical, subject, message);

    public static Finding Info(string code, string subject) => new(code, Severity.Info, subject, "noted");

    /// <summary>The finish time of run number <paramref name="run"/> (1-based), five minutes apart.</summary>
    public static DateTimeOffset At(int run) => Start.AddMinutes(5 * run);

    public static string RunId(int run) => $"demo/run{run}";

    public Report Report(params CheckResult[] checks) => Report([], checks);

    public Report Report(IReadOnlyList<Finding> monitorFindings, params CheckResult[] checks) => new()
    {
        Target = Target,
        StartedAt = At(_runs + 1).AddMinutes(-1),
        FinishedAt = At(_runs + 1),
        Status = MailHealth.Reports.Report.Overall(checks),
        Checks = checks,
        MonitorFindings = monitorFindings,
    };

    /// <summary>Evaluates the next run and applies the result to the store, as storage would.</summary>
    public AlertEvaluation Run(Report report)
    {
        _runs++;
        var evaluation = AlertEvaluator.Evaluate([.. _store.Values], report, RunId(_runs), Policy);
        foreach (var alert in evaluation.Changed)
        {
            _store[alert.Id] = alert;
        }

        foreach (var alert in evaluation.Dropped)
        {
            _store.Remove(alert.Id);
        }

        Evaluations.Add(evaluation);
        return evaluation;
    }

    public AlertEvaluation Run(params CheckResult[] checks) => Run(Report(checks));

    public void Put(Alert alert) => _store[alert.Id] = alert;
}
