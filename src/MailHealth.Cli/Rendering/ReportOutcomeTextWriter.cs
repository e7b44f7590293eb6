using MailHealth.Storage.ReceiverReports;
using static MailHealth.Cli.Rendering.ReportText;

namespace MailHealth.Cli.Rendering;

/// <summary>
/// <c>reports import</c>: what became of each report of each file, as <c>reports parse</c> writes a
/// report (where, kind, status), with the reason for a duplicate or an invalid one, what a stored
/// one held, the targets it counts for (or that none monitors its domain yet) and the input's id.
/// </summary>
internal sealed class ReportOutcomeTextWriter(TextWriter output)
{
    public async Task WriteAsync(string file, ReportInputRecord record, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(record);
        foreach (var outcome in record.Reports)
        {
            var status = outcome.Status.ToString().ToLowerInvariant();
            await output.WriteLineAsync(outcome.Reason is { } reason
                ? $"{Where(file, outcome.Part)}: {KindPrefix(outcome.Kind)}{status}: {reason}"
                : $"{Where(file, outcome.Part)}: {KindPrefix(outcome.Kind)}{status}").ConfigureAwait(false);
            foreach (var line in Details(outcome, record.Input).Concat(outcome.Warnings.Select(w => $"warning: {w}")))
            {
                await output.WriteLineAsync("  " + line).ConfigureAwait(false);
            }
        }

        await output.FlushAsync(cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The last line: how many reports of each outcome.</summary>
    public async Task WriteTotalsAsync(int files, IReadOnlyCollection<ReportOutcome> outcomes)
    {
        ArgumentNullException.ThrowIfNull(outcomes);
        int Count(ReportOutcomeStatus status) => outcomes.Count(o => o.Status == status);
        await output.WriteLineAsync(Invariant(
            $"{files} {(files == 1 ? "file" : "files")}: {Count(ReportOutcomeStatus.Stored)} stored, {Count(ReportOutcomeStatus.Duplicate)} duplicate, {Count(ReportOutcomeStatus.Invalid)} invalid")).ConfigureAwait(false);
    }

    private static IEnumerable<string> Details(ReportOutcome outcome, string input)
    {
        if (outcome.OrgName is null || outcome.Begin is not { } begin || outcome.End is not { } end)
        {
            yield break;
        }

        yield return $"{outcome.OrgName}, report {outcome.ReportId}, for {outcome.PolicyDomain}, {Range(begin, end)}";
        if (outcome.Status == ReportOutcomeStatus.Stored)
        {
            if (outcome.Messages is { } messages)
            {
                var dropped = outcome.DroppedRecords > 0 ? Invariant($" ({outcome.DroppedRecords:N0} dropped)") : "";
                yield return Invariant($"{outcome.Records:N0} records{dropped}, {messages:N0} messages, DMARC pass {Share(outcome.DmarcPass ?? 0, messages)}");
            }
            else if (outcome.SuccessfulSessions is { } successful && outcome.FailedSessions is { } failed)
            {
                yield return Invariant($"{outcome.Records:N0} {(outcome.Records == 1 ? "policy" : "policies")}, {successful + failed:N0} sessions, successful {Share(successful, successful + failed)} ({failed:N0} failed)");
            }

            yield return outcome.Targets.Count > 0
                ? $"counts for {(outcome.Targets.Count == 1 ? "target" : "targets")} {string.Join(", ", outcome.Targets)}"
                : $"no target monitors {outcome.PolicyDomain}: kept, and counted for one as soon as it is added";
        }

        yield return $"input {input}";
    }
}
