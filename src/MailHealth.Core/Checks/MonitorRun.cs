using MailHealth.Dns;
using MailHealth.Egress;
using MailHealth.Reports;
using MailHealth.Targets;

namespace MailHealth.Checks;

/// <summary>
/// One run over several targets, as both hosts do it (the CLI with one target, the monitor with
/// its fleet): every target's checks, then the port-25 egress analysis across them, whose
/// monitor-level finding is attached to every report.
/// </summary>
public sealed class MonitorRun(DomainChecker checker)
{
    public async Task<IReadOnlyList<Report>> RunAsync(
        IReadOnlyList<Target> targets,
        DnsResolver dns,
        CheckOptions options,
        int egressMinimumTargets = EgressAnalysis.DefaultMinimumTargets,
        CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(targets);
        var reports = await Task.WhenAll(targets.Select(t => checker.RunAsync(t, dns, options, cancellationToken))).ConfigureAwait(false);
        var analysis = EgressAnalysis.Apply(reports, egressMinimumTargets);
        return [.. analysis.Reports.Select(r => r with { MonitorFindings = [.. r.MonitorFindings, .. analysis.MonitorFindings] })];
    }
}
