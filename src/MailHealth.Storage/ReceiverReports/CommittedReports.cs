namespace MailHealth.Storage.ReceiverReports;

/// <summary>
/// The (report, input) pairs whose rows count in a day partition: those the ledger committed. Rows
/// of a report that was never committed (a crash before its commit, the loser of two inputs of one
/// report) are left out, so nothing half-written is ever added up.
/// </summary>
internal sealed class CommittedReports
{
    private readonly HashSet<string> prefixes;

    public CommittedReports(IEnumerable<ReportDayTotals> days) =>
        prefixes = [.. days.Select(d => ReportKeys.Contribution(d.ReportKey, d.Input))];

    /// <summary>The prefix of <paramref name="rowKey"/> that names its report and input, when it is one of the committed.</summary>
    public bool Counts(string rowKey) =>
        rowKey.Length > ReportKeys.ContributionLength && prefixes.Contains(rowKey[..ReportKeys.ContributionLength]);
}
