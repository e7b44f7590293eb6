using MailHealth.Checks;
using MailHealth.Reports;

namespace MailHealth.Egress;

/// <summary>The reports after egress analysis, and the monitor-level findings it raised.</summary>
/// <param name="Reports">The same reports, with port-25 checks turned into <c>error</c> when egress is blocked.</param>
/// <param name="MonitorFindings">SMTP_EGRESS_BLOCKED, about the monitor itself (not any target), or nothing.</param>
public sealed record EgressAnalysisResult(IReadOnlyList<Report> Reports, IReadOnlyList<Finding> MonitorFindings)
{
    public bool EgressBlocked => MonitorFindings.Any(f => f.Code == EgressFindingCodes.EgressBlocked);
}
