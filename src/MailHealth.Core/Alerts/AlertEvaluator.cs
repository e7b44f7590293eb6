using System.Globalization;
using MailHealth.Checks;
using MailHealth.Reports;

namespace MailHealth.Alerts;

/// <summary>
/// The alert state machine (docs/alerts.md): from a target's stored alerts and a
/// new run's report, the alerts to write and the transitions to store and notify. Pure and
/// deterministic: every time comes from the report (its finish time) or the caller.
/// </summary>
/// <remarks>
/// <para>An alert is keyed by (target, finding code, finding subject). Findings below
/// <see cref="AlertPolicy.MinimumSeverity"/> and the report's monitor-level findings
/// (SMTP_EGRESS_BLOCKED) are not alerts.</para>
/// <para>Seen: a new alert (or a resolved one, starting over) is Pending with one run seen; it opens
/// after <see cref="AlertPolicy.OpenAfterRuns"/> consecutive runs (<see cref="AlertPolicy.OpenAfterRunsCritical"/>
/// when the finding is critical in this run). An open alert takes the latest severity and message.</para>
/// <para>Not seen: an open alert resolves after <see cref="AlertPolicy.ResolveAfterRuns"/> consecutive
/// clean runs; a pending alert is forgotten at once (dropped when it never opened, back to Resolved
/// when it had), without a transition: nobody was told about it.</para>
/// <para>Once per run: an alert whose stored state already counts this run (<see cref="Alert.LastRunId"/>)
/// is left as it is, so a run evaluated again after a save cut between transactions counts once.</para>
/// <para>Could not check: while the alert's check ends in error (or the whole kind of check did,
/// its result then having the kind as id), the alert is left as it is, and findings of a check in
/// error count for nothing. A check missing from the report no longer exists (a host left the MX
/// set, a selector was removed) and counts as clean; except when the mail host set itself is
/// unknown (the MX check in error and no explicit hosts), since the checks derived from the hosts
/// are then missing because the hosts could not be found.</para>
/// </remarks>
public static class AlertEvaluator
{
    private const string MxCheckId = "mx";

    // The kinds whose checks exist per mail host (or per address of one): missing when the host set is unknown.
    private static readonly string[] HostDerivedKinds = ["smtp", "dane"];

    // Per address; from the mail hosts unless the target names its sending IPs.
    private static readonly string[] AddressDerivedKinds = ["ptr", "dnsbl"];

    public static AlertEvaluation Evaluate(IReadOnlyList<Alert> current, Report report, string runId, AlertPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(current);
        ArgumentNullException.ThrowIfNull(report);
        ArgumentException.ThrowIfNullOrWhiteSpace(runId);
        Validate(policy);

        var targetId = report.Target.Id;
        var stored = new Dictionary<string, Alert>(StringComparer.Ordinal);
        foreach (var alert in current)
        {
            if (alert.Key.TargetId != targetId)
            {
                throw new ArgumentException($"alert {alert.Id} belongs to target {alert.Key.TargetId}, not {targetId}", nameof(current));
            }

            if (!stored.TryAdd(alert.Id, alert))
            {
                throw new ArgumentException($"alert {alert.Id} is given twice", nameof(current));
            }
        }

        var seen = Observe(report, policy);
        var frozen = new FreezeRule(report);
        var run = new RunStamp(report.FinishedAt, runId);
        var changed = new List<Alert>();
        var transitions = new List<AlertTransition>();
        var dropped = new List<Alert>();
        var alreadyCounted = 0;
        foreach (var id in stored.Keys.Union(seen.Keys).Order(StringComparer.Ordinal))
        {
            var before = stored.GetValueOrDefault(id);
            if (before?.LastRunId == runId)
            {
                alreadyCounted++;
                continue;
            }

            if (seen.TryGetValue(id, out var finding))
            {
                var (after, transition) = Seen(before, finding, run, policy);
                changed.Add(after);
                if (transition is not null)
                {
                    transitions.Add(transition);
                }

                continue;
            }

            if (before is null || frozen.Applies(before.CheckId))
            {
                continue;
            }

            switch (before.Status)
            {
                case AlertStatus.Pending when before.OpenedAt is null:
                    dropped.Add(before);
                    break;
                case AlertStatus.Pending:
                    // Seen again after it resolved, then gone before it re-opened: resolved it stays.
                    changed.Add(before with { Status = AlertStatus.Resolved, ConsecutiveSeen = 0, ConsecutiveClean = 1 });
                    break;
                case AlertStatus.Open:
                    var (clean, resolved) = Clean(before, run, policy);
                    changed.Add(clean);
                    if (resolved is not null)
                    {
                        transitions.Add(resolved);
                    }

                    break;
            }
        }

        // Every state written says which run wrote it.
        return new AlertEvaluation([.. changed.Select(a => a with { LastRunId = runId })], transitions, dropped) { AlreadyCounted = alreadyCounted };
    }

    /// <summary>
    /// Acknowledges an open alert: someone is on it. The acknowledgement stays until the alert
    /// resolves (it is then history) and is cleared when the alert opens again. Acknowledging an
    /// acknowledged alert changes nothing; a pending or resolved alert cannot be acknowledged.
    /// </summary>
    public static AlertAcknowledgement Acknowledge(Alert alert, string by, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(alert);
        if (string.IsNullOrWhiteSpace(by))
        {
            return new(AcknowledgeOutcome.ByRequired, alert, null, "say who acknowledges the alert");
        }

        if (alert.Status != AlertStatus.Open)
        {
            return new(AcknowledgeOutcome.NotOpen, alert, null,
                $"alert {alert.Id} is {alert.Status.ToString().ToLowerInvariant()}: only an open alert can be acknowledged");
        }

        if (alert.AcknowledgedAt is { } earlier)
        {
            return new(AcknowledgeOutcome.AlreadyAcknowledged, alert, null,
                $"alert {alert.Id} was acknowledged by {alert.AcknowledgedBy} at {Format(earlier)}");
        }

        var who = by.Trim();
        var acknowledged = alert with { AcknowledgedAt = at, AcknowledgedBy = who };
        var transition = new AlertTransition(alert.Id, alert.Key, AlertTransitionKind.Acknowledged, at, null, alert.Severity, $"acknowledged by {who}");
        return new(AcknowledgeOutcome.Acknowledged, acknowledged, transition, null);
    }

    private static (Alert After, AlertTransition? Opened) Seen(Alert? before, ObservedFinding finding, RunStamp run, AlertPolicy policy)
    {
        var after = before is null || before.Status == AlertStatus.Resolved
            ? Start(before, finding, run)
            : before with
            {
                CheckId = finding.CheckId,
                Severity = finding.Severity,
                Message = finding.Message,
                ConsecutiveSeen = before.ConsecutiveSeen + 1,
                ConsecutiveClean = 0,
                LastSeenAt = run.At,
            };

        var needed = finding.Severity == Severity.Critical ? policy.OpenAfterRunsCritical : policy.OpenAfterRuns;
        if (after.Status != AlertStatus.Pending || after.ConsecutiveSeen < needed)
        {
            return (after, null);
        }

        var opened = after with
        {
            Status = AlertStatus.Open,
            OpenedAt = run.At,
            OpenedRunId = run.RunId,
            ResolvedAt = null,
            ResolvedRunId = null,
            AcknowledgedAt = null,
            AcknowledgedBy = null,
        };
        return (opened, new AlertTransition(opened.Id, opened.Key, AlertTransitionKind.Opened, run.At, run.RunId, opened.Severity, opened.Message));
    }

    // A new alert, or a resolved one seen again: flap damping starts over. The previous episode's
    // opened/resolved times stay until it opens again (a pending alert that vanishes is resolved still).
    private static Alert Start(Alert? before, ObservedFinding finding, RunStamp run) => before is null
        ? new Alert
        {
            Key = finding.Key,
            CheckId = finding.CheckId,
            Severity = finding.Severity,
            Message = finding.Message,
            Status = AlertStatus.Pending,
            ConsecutiveSeen = 1,
            ConsecutiveClean = 0,
            FirstSeenAt = run.At,
            LastSeenAt = run.At,
        }
        : before with
        {
            CheckId = finding.CheckId,
            Severity = finding.Severity,
            Message = finding.Message,
            Status = AlertStatus.Pending,
            ConsecutiveSeen = 1,
            ConsecutiveClean = 0,
            LastSeenAt = run.At,
        };

    private static (Alert After, AlertTransition? Resolved) Clean(Alert open, RunStamp run, AlertPolicy policy)
    {
        var after = open with { ConsecutiveSeen = 0, ConsecutiveClean = open.ConsecutiveClean + 1 };
        if (after.ConsecutiveClean < policy.ResolveAfterRuns)
        {
            return (after, null);
        }

        var resolved = after with { Status = AlertStatus.Resolved, ResolvedAt = run.At, ResolvedRunId = run.RunId };
        var runs = after.ConsecutiveClean == 1 ? "the last run" : $"{after.ConsecutiveClean} consecutive runs";
        var message = $"{open.Key.Code} on {open.Key.Subject} not seen in {runs} (last seen {Format(open.LastSeenAt)})";
        return (resolved, new AlertTransition(open.Id, open.Key, AlertTransitionKind.Resolved, run.At, run.RunId, open.Severity, message));
    }

    /// <summary>The findings of this run that alert, one per key: the worst when a key comes twice.</summary>
    private static Dictionary<string, ObservedFinding> Observe(Report report, AlertPolicy policy)
    {
        var seen = new Dictionary<string, ObservedFinding>(StringComparer.Ordinal);
        // A check in error could not look: its findings (DNS_TIMEOUT and what it saw before failing) count for nothing.
        foreach (var check in report.Checks.Where(c => c.Status != CheckStatus.Error))
        {
            foreach (var finding in check.Findings.Where(f => f.Severity >= policy.MinimumSeverity))
            {
                var key = new AlertKey(report.Target.Id, finding.Code, finding.Subject);
                var observed = new ObservedFinding(key, check.Id, finding.Severity, finding.Message);
                if (!seen.TryGetValue(key.Id, out var earlier) || finding.Severity > earlier.Severity)
                {
                    seen[key.Id] = observed;
                }
            }
        }

        return seen;
    }

    private static void Validate(AlertPolicy policy)
    {
        ArgumentNullException.ThrowIfNull(policy);
        ArgumentOutOfRangeException.ThrowIfLessThan(policy.OpenAfterRuns, 1, nameof(policy));
        ArgumentOutOfRangeException.ThrowIfLessThan(policy.OpenAfterRunsCritical, 1, nameof(policy));
        ArgumentOutOfRangeException.ThrowIfLessThan(policy.ResolveAfterRuns, 1, nameof(policy));
    }

    private static string Format(DateTimeOffset at) => at.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss'Z'", CultureInfo.InvariantCulture);

    private sealed record ObservedFinding(AlertKey Key, string CheckId, Severity Severity, string Message);

    private sealed record RunStamp(DateTimeOffset At, string RunId);

    /// <summary>Which alerts this run says nothing about, because their check could not be carried out.</summary>
    private sealed class FreezeRule
    {
        private readonly HashSet<string> _errored;
        private readonly HashSet<string> _present;
        private readonly bool _hostsUnknown;
        private readonly bool _addressesUnknown;

        public FreezeRule(Report report)
        {
            _errored = report.Checks.Where(c => c.Status == CheckStatus.Error).Select(c => c.Id).ToHashSet(StringComparer.Ordinal);
            _present = report.Checks.Select(c => c.Id).ToHashSet(StringComparer.Ordinal);
            _hostsUnknown = report.Target.Hosts.Count == 0
                && report.Checks.Any(c => c.Id == MxCheckId && c.Status == CheckStatus.Error);
            _addressesUnknown = _hostsUnknown && report.Target.SendingIps.Count == 0;
        }

        public bool Applies(string checkId)
        {
            if (_errored.Contains(checkId) || _errored.Any(e => checkId.StartsWith(e + ":", StringComparison.Ordinal)))
            {
                return true;
            }

            if (_present.Contains(checkId))
            {
                return false;
            }

            var kind = checkId.Split(':', 2)[0];
            return (_hostsUnknown && HostDerivedKinds.Contains(kind)) || (_addressesUnknown && AddressDerivedKinds.Contains(kind));
        }
    }
}
