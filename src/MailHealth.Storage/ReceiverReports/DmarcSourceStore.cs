using System.Globalization;
using Azure.Data.Tables;
using MailHealth.ReportTotals;
using MailHealth.Storage.Configuration;
using MailHealth.Storage.Keys;
using MailHealth.Storage.Limits;
using MailHealth.Storage.Tables;

namespace MailHealth.Storage.ReceiverReports;

/// <summary>
/// What each aggregate report says of each source address on each day, table
/// <c>{prefix}dmarcsources</c>: partition <c>{domain}|{yyyyMMdd}</c>, row
/// <c>{report key}_{input}_{tally}_{address}</c> with the address and its counts (the report's
/// counts for it times the day's share of the report's range). Rows are written before their
/// report is committed, each an upsert of the same key and value on a retry, and are added up on
/// reading only for the reports the ledger committed (<see cref="CommittedReports"/>).
/// </summary>
public sealed class DmarcSourceStore(StorageAccount account)
{
    /// <summary>Transactions of one tally sent at once: rows of one partition, independent of each other.</summary>
    private const int ParallelTransactions = 4;

    private readonly TableClient table = account.Table(StorageTables.DmarcSources);

    /// <summary>
    /// Writes tally <paramref name="tally"/> of a report's sources (a report of more sources than
    /// one tally holds is written in several), spread over <paramref name="days"/>. Returns the
    /// transactions sent.
    /// </summary>
    public async Task<int> WriteAsync(
        string domain, string reportKey, string input, int tally, IReadOnlyList<DayShare> days,
        IReadOnlyCollection<KeyValuePair<string, DmarcCounts>> sources, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(days);
        ArgumentNullException.ThrowIfNull(sources);
        var prefix = ReportKeys.Contribution(reportKey, input) + tally.ToString("D3", CultureInfo.InvariantCulture) + "_";
        var groups = new List<IReadOnlyList<TableTransactionAction>>();
        foreach (var day in days)
        {
            var partition = ReportKeys.DomainDay(domain, day.Day);
            groups.AddRange(sources
                .Select(source => new TableTransactionAction(TableTransactionActionType.UpsertReplace, new TableEntity(partition, prefix + KeyText.Escape(source.Key))
                {
                    ["SourceIp"] = source.Key,
                }.With(source.Value.Share(day.Share))))
                .Chunk(TableLimits.MaxBatchOperations));
        }

        await Parallel.ForEachAsync(
            groups,
            new ParallelOptions { MaxDegreeOfParallelism = ParallelTransactions, CancellationToken = cancellationToken },
            async (group, ct) => await TableOperations.SubmitAsync(table, group, ct));
        return groups.Count;
    }

    /// <summary>Deletes the rows one input wrote for a report (it turned out invalid, or another input committed it first). Returns how many.</summary>
    public Task<int> DeleteAsync(string domain, string reportKey, string input, IReadOnlyList<DayShare> days, CancellationToken cancellationToken = default) =>
        ReportContributions.DeleteAsync(table, domain, reportKey, input, days, cancellationToken);

    /// <summary>
    /// Each source of <paramref name="day"/>, added up over the reports in <paramref name="committed"/>
    /// (the ledger's day rows of that day): one partition read.
    /// </summary>
    public async Task<IReadOnlyList<SourceTotals>> ListAsync(string domain, DateOnly day, IEnumerable<ReportDayTotals> committed, CancellationToken cancellationToken = default)
    {
        var counted = new CommittedReports(committed);
        var bySource = new Dictionary<string, (DmarcCounts Counts, HashSet<string> Reports)>(StringComparer.Ordinal);
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {ReportKeys.DomainDay(domain, day)}");
        await foreach (var row in TableOperations.QueryAllAsync(table, filter, null, cancellationToken))
        {
            if (!counted.Counts(row.RowKey))
            {
                continue;
            }

            var source = row.GetString("SourceIp");
            if (!bySource.TryGetValue(source, out var totals))
            {
                totals = (new DmarcCounts(), new HashSet<string>(StringComparer.Ordinal));
                bySource[source] = totals;
            }

            totals.Counts.Add(ReportColumns.Dmarc(row));
            totals.Reports.Add(row.RowKey[..ReportKeys.ContributionLength]);
        }

        return [.. bySource.Select(s => new SourceTotals(s.Key, s.Value.Counts, s.Value.Reports.Count)).OrderByDescending(s => s.Counts.Messages).ThenBy(s => s.SourceIp, StringComparer.Ordinal)];
    }
}
