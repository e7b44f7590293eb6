using MailHealth.Checks;

namespace MailHealth.Storage.Runs;

/// <summary>A finding without its evidence: what history and status pages list.</summary>
public sealed record FindingSummary(string Code, Severity Severity, string Subject, string Message)
{
    public static FindingSummary Of(Finding finding) => new(finding.Code, finding.Severity, finding.Subject, finding.Message);
}
