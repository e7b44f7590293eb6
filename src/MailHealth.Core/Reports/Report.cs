using MailHealth.Checks;
using MailHealth.Targets;

namespace MailHealth.Reports;

/// <summary>All checks of one target at one time: what <c>mailhealth check</c> prints and the API serves.</summary>
public sealed record Report
{
    public required Target Target { get; init; }

    public required DateTimeOffset StartedAt { get; init; }

    public required DateTimeOffset FinishedAt { get; init; }

    /// <summary>The worst of the checks: fail, then error, then warn, then pass.</summary>
    public required CheckStatus Status { get; init; }

    public required IReadOnlyList<CheckResult> Checks { get; init; }

    /// <summary>Findings about the monitor itself seen during this run (SMTP_EGRESS_BLOCKED), not about the target.</summary>
    public IReadOnlyList<Finding> MonitorFindings { get; init; } = [];

    /// <summary>Every finding of every check, and the monitor's own.</summary>
    public IEnumerable<Finding> Findings => Checks.SelectMany(c => c.Findings).Concat(MonitorFindings);

    public bool HasCritical => Findings.Any(f => f.Severity == Severity.Critical);

    public static CheckStatus Overall(IEnumerable<CheckResult> checks)
    {
        var statuses = checks.Select(c => c.Status).ToHashSet();
        return statuses.Contains(CheckStatus.Fail) ? CheckStatus.Fail
            : statuses.Contains(CheckStatus.Error) ? CheckStatus.Error
            : statuses.Contains(CheckStatus.Warn) ? CheckStatus.Warn
            : CheckStatus.Pass;
    }
}
