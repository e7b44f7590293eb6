using MailHealth.ReceiverReports;
using static MailHealth.Cli.Rendering.ReportText;

namespace MailHealth.Cli.Rendering;

/// <summary>
/// <c>reports parse</c> without --json: a short summary of each report (who sent it, for which
/// domain and range, how many records or policies, the messages or sessions and the share that
/// passed, the warnings), the records counted as they stream, never kept.
/// </summary>
internal sealed class ReceivedReportTextWriter(TextWriter output)
{
    public async Task WriteAsync(string file, ReceivedReport report, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(report);
        var lines = new List<string>();
        if (report.Aggregate is { } aggregate)
        {
            var metadata = aggregate.Metadata;
            var policy = aggregate.Policy;
            lines.Add($"{metadata.OrgName}, report {metadata.ReportId}, for {policy.Domain}, {Range(metadata.Begin, metadata.End)}");
            long records = 0, messages = 0, passed = 0;
            foreach (var record in aggregate.Records)
            {
                cancellationToken.ThrowIfCancellationRequested();
                records++;
                messages += record.Count;
                passed += record.DmarcPass ? record.Count : 0;
            }

            var dropped = aggregate.DroppedRecords > 0 ? Invariant($" ({aggregate.DroppedRecords:N0} dropped)") : "";
            lines.Add(Invariant($"{records:N0} records{dropped}, {messages:N0} messages, DMARC pass {Share(passed, messages)} ({passed:N0}), policy p={policy.P ?? "?"}"));
        }
        else if (report.Tls is { } tls)
        {
            lines.Add($"{tls.OrgName}, report {tls.ReportId}, for {tls.PolicyDomain}, {Range(tls.Begin, tls.End)}");
            var successful = tls.Policies.Sum(p => p.SuccessfulSessions);
            var failed = tls.Policies.Sum(p => p.FailedSessions);
            lines.Add(Invariant($"{tls.Policies.Count:N0} {(tls.Policies.Count == 1 ? "policy" : "policies")}, {successful + failed:N0} sessions, successful {Share(successful, successful + failed)} ({failed:N0} failed)"));
            foreach (var policy in tls.Policies)
            {
                var failures = string.Join(", ", policy.Failures.GroupBy(f => f.ResultType, StringComparer.Ordinal).Select(g => Invariant($"{g.Key} {g.Sum(f => f.FailedSessions):N0}")));
                lines.Add(Invariant($"  {policy.PolicyType} {policy.PolicyDomain}: {policy.SuccessfulSessions:N0} successful, {policy.FailedSessions:N0} failed{(failures.Length > 0 ? ": " + failures : "")}"));
            }
        }

        var where = ReportText.Where(file, report.Part);
        var kind = ReportText.KindPrefix(report.Kind?.Name());

        // The status is final only now that the records have been read.
        await output.WriteLineAsync(report.Status == ReceivedReportStatus.Parsed
            ? $"{where}: {kind}parsed"
            : $"{where}: {kind}invalid: {report.Reason}").ConfigureAwait(false);
        foreach (var line in lines.Concat(report.Warnings.ToList().Select(w => $"warning: {w}")))
        {
            await output.WriteLineAsync("  " + line).ConfigureAwait(false);
        }

        await output.FlushAsync(cancellationToken).ConfigureAwait(false);
    }
}
