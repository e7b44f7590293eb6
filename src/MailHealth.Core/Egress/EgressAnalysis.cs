using MailHealth.Checks;
using MailHealth.Reports;
using MailHealth.Smtp;

namespace MailHealth.Egress;

/// <summary>
/// Tells "our egress to port 25 is blocked" apart from "the targets are down" (docs/egress.md).
/// Many clouds drop outbound TCP 25; a monitor there sees every port-25 probe time out. Each report
/// is judged, as its target finishes, against the fleet's recent port-25 signals: when they all
/// timed out on enough targets while a 587/465 probe connected, the report gets SMTP_EGRESS_BLOCKED
/// and its port-25 checks become <c>error</c> (could not check), their SMTP_CONNECT_TIMEOUT findings
/// moved to evidence so that no per-target alert opens for them. Pure: report and signals in, report out.
/// </summary>
public static class EgressAnalysis
{
    /// <summary>Subject of the monitor-level finding: alerts key on it.</summary>
    public const string Subject = "egress:25";

    /// <summary>Evidence key holding the findings moved out of a port-25 check.</summary>
    public const string SuppressedFindingsEvidence = "suppressedFindings";

    /// <summary>
    /// Fewest targets with port-25 probes before a blanket timeout is blamed on egress. Default 2:
    /// with one target, "its port 25 is firewalled while submission is open" looks the same.
    /// </summary>
    public const int DefaultMinimumTargets = 2;

    /// <summary>
    /// The fleet's verdict from its recent signals: open when any port-25 probe got an answer
    /// (a connection or a refusal), blocked when <see cref="Detect(IReadOnlyList{PortProbeSignal}, int)"/>
    /// fires, unknown otherwise.
    /// </summary>
    public static EgressVerdict Judge(IReadOnlyList<PortProbeSignal> fleetSignals, int minimumTargets = DefaultMinimumTargets)
    {
        ArgumentNullException.ThrowIfNull(fleetSignals);
        if (fleetSignals.Any(s => s.Port == 25 && !s.TimedOut))
        {
            return EgressVerdict.Open;
        }

        return Detect(fleetSignals, minimumTargets) is null ? EgressVerdict.Unknown : EgressVerdict.Blocked;
    }

    /// <summary>
    /// One report judged against the fleet's recent signals (its own among them), as each target
    /// finishes: blocked egress turns its port-25 checks into errors and adds SMTP_EGRESS_BLOCKED
    /// to its monitor findings; with no evidence either way, a report that shows the egress
    /// signature by itself (port 25 timed out, its own submission connected) gets its port-25
    /// checks as errors too, without the monitor finding, so no alert opens before the fleet can tell.
    /// </summary>
    public static Report Apply(Report report, IReadOnlyList<PortProbeSignal> fleetSignals, int minimumTargets = DefaultMinimumTargets)
    {
        ArgumentNullException.ThrowIfNull(report);
        switch (Judge(fleetSignals, minimumTargets))
        {
            case EgressVerdict.Blocked:
                var rewritten = Rewrite(report, BlockedReason);
                // Judging a report twice must not add the finding twice.
                return rewritten.MonitorFindings.Any(f => f.Code == EgressFindingCodes.EgressBlocked)
                    ? rewritten
                    : rewritten with { MonitorFindings = [.. rewritten.MonitorFindings, Detect(fleetSignals, minimumTargets)!] };
            case EgressVerdict.Unknown when Detect(SignalsOf(report), 1) is not null:
                return Rewrite(report, UnverifiedReason);
            default:
                return report;
        }
    }

    /// <summary>The port-probe signals of a report's smtp checks.</summary>
    public static IReadOnlyList<PortProbeSignal> SignalsOf(Report report)
    {
        ArgumentNullException.ThrowIfNull(report);
        return [.. report.Checks.Select(c => PortProbeSignal.FromCheck(report.Target.Id, c)).OfType<PortProbeSignal>()];
    }

    private const string BlockedReason =
        $"not checked: this monitor's outbound port 25 appears blocked ({EgressFindingCodes.EgressBlocked}); the connect timeout says nothing about the target";

    private const string UnverifiedReason =
        "not checked: port 25 timed out while this target's submission port connected, and no other port-25 probe of this monitor has answered recently, "
        + "so the monitor's own outbound port 25 may be blocked; the connect timeout is not held against the target";

    /// <summary>SMTP_EGRESS_BLOCKED when every port-25 probe of at least <paramref name="minimumTargets"/> targets timed out and a 587/465 probe connected; else null.</summary>
    public static Finding? Detect(IReadOnlyList<PortProbeSignal> signals, int minimumTargets = DefaultMinimumTargets)
    {
        ArgumentNullException.ThrowIfNull(signals);
        var port25 = signals.Where(s => s.Port == 25).ToList();
        var targets = port25.Select(s => s.TargetId).Distinct(StringComparer.Ordinal).Count();
        var submission = signals.Where(s => s.Port is 587 or 465 && s.Connected).ToList();
        if (port25.Count == 0 || targets < Math.Max(1, minimumTargets) || !port25.All(s => s.TimedOut) || submission.Count == 0)
        {
            return null;
        }

        return new Finding(
            EgressFindingCodes.EgressBlocked,
            Severity.Warning,
            Subject,
            $"port 25 timed out on all {port25.Count} probe(s) of {targets} target(s) while {submission.Count} probe(s) on 587/465 connected: "
                + "this monitor's outbound port 25 is most likely blocked (as many clouds do); port-25 results are not about the targets",
            new Dictionary<string, object?>
            {
                ["targets"] = targets,
                ["port25TimedOut"] = port25.Select(s => s.CheckId).ToList(),
                ["submissionConnected"] = submission.Select(s => s.CheckId).ToList(),
            });
    }

    private static Report Rewrite(Report report, string reason)
    {
        var checks = report.Checks.Select(c => PortProbeSignal.FromCheck(report.Target.Id, c) is { Port: 25, TimedOut: true } ? Suppress(c, reason) : c).ToList();
        return report with { Checks = checks, Status = Report.Overall(checks) };
    }

    /// <summary>The port-25 check as "could not check": error status, timeout findings kept as evidence only.</summary>
    private static CheckResult Suppress(CheckResult check, string reason)
    {
        var suppressed = check.Findings.Where(f => f.Code == EgressFindingCodes.ConnectTimeout).ToList();
        var evidence = new Dictionary<string, object?>(check.Evidence)
        {
            [PortProbeSignal.EgressBlockedEvidence] = true,
        };
        if (suppressed.Count > 0 || !evidence.ContainsKey(SuppressedFindingsEvidence))
        {
            evidence[SuppressedFindingsEvidence] = suppressed;
        }

        return check with
        {
            Status = CheckStatus.Error,
            Evidence = evidence,
            Findings = [.. check.Findings.Where(f => f.Code != EgressFindingCodes.ConnectTimeout)],
            Error = reason,
        };
    }
}
