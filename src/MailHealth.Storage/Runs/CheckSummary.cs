using MailHealth.Checks;

namespace MailHealth.Storage.Runs;

/// <summary>One check's result without its evidence: status, duration, metrics, findings, error.</summary>
public sealed record CheckSummary(
    string Id,
    string Kind,
    string Subject,
    CheckStatus Status,
    long DurationMs,
    IReadOnlyDictionary<string, double> Metrics,
    IReadOnlyList<FindingSummary> Findings,
    string? Error)
{
    public static CheckSummary Of(CheckResult result) => new(
        result.Id,
        result.Kind,
        result.Subject,
        result.Status,
        result.DurationMs,
        result.Metrics,
        [.. result.Findings.Select(FindingSummary.Of)],
        result.Error);
}
