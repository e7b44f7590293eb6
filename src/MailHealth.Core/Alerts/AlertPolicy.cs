using MailHealth.Checks;

namespace MailHealth.Alerts;

/// <summary>When a finding becomes an alert and when it stops being one (docs/alerts.md).</summary>
public sealed record AlertPolicy
{
    /// <summary>Findings below this severity never alert. Default warning.</summary>
    public Severity MinimumSeverity { get; init; } = Severity.Warning;

    /// <summary>Consecutive runs with a warning finding before its alert opens. Default 2 (flap damping).</summary>
    public int OpenAfterRuns { get; init; } = 2;

    /// <summary>Consecutive runs with a critical finding before its alert opens. Default 1.</summary>
    public int OpenAfterRunsCritical { get; init; } = 1;

    /// <summary>Consecutive clean runs before an open alert resolves. Default 2.</summary>
    public int ResolveAfterRuns { get; init; } = 2;
}
