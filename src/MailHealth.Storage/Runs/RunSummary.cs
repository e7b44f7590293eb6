using MailHealth.Checks;

namespace MailHealth.Storage.Runs;

/// <summary>
/// One run as the history lists it: when, the overall status, and each check's summary (for a
/// history filtered by check, only that check). The full report with evidence is
/// <see cref="RunStore.GetReportAsync"/>.
/// </summary>
public sealed record RunSummary(
    string TargetId,
    string RunId,
    DateTimeOffset Slot,
    DateTimeOffset StartedAt,
    DateTimeOffset FinishedAt,
    CheckStatus Status,
    IReadOnlyList<CheckSummary> Checks,
    IReadOnlyList<FindingSummary> MonitorFindings);
