using System.Globalization;
using Azure.Data.Tables;
using MailHealth.ReportTotals;
using MailHealth.Storage.Configuration;
using MailHealth.Storage.Keys;
using MailHealth.Storage.Limits;
using MailHealth.Storage.Tables;

namespace MailHealth.Storage.ReceiverReports;

/// <summary>
/// What each aggregate report says of its source addresses on each day, table
/// <c>{prefix}dmarcsources</c>: partition <c>{domain}|{yyyyMMdd}</c>, row
/// <c>{report key}_{input}_{tally}_{part}</c> holding up to <see cref="PackedSources.MaxSourcesPerRow"/>
/// addresses with their counts (the report's counts for each times the day's share of the
/// report's range), packed (<see cref="PackedSources"/>). Rows are written before their report is
/// committed, each an upsert of the same key and value on a retry, and are added up on reading
/// only for the reports the ledger committed (<see cref="CommittedReports"/>).
/// </summary>
public sealed class DmarcSourceStore(StorageAccount account)
{
    /// <summary>Sources one row holds: a tally is cut into parts of this many, part <c>n</c> written as row <c>n</c>.</summary>
    public const int MaxSourcesPerRow = PackedSources.MaxSourcesPerRow;

    /// <summary>Days of one write sent at once: each its own partition.</summary>
    private const int ParallelDays = 4;

    private readonly TableClient table = account.Table(StorageTables.DmarcSources);

    /// <summary>
    /// Writes parts <paramref name="firstPart"/>, <paramref name="firstPart"/> + 1, ... of tally
    /// <paramref name="tally"/> of a report's sources (a report of more sources than one tally holds
    /// is written in several), each part a row on each of <paramref name="days"/>. Returns the
    /// transactions sent.
    /// </summary>
    public async Task<int> WriteAsync(
        string domain, string reportKey, string input, int tally, int firstPart, IReadOnlyList<DayShare> days,
        IReadOnlyList<IReadOnlyCollection<KeyValuePair<string, DmarcCounts>>> parts, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(days);
        ArgumentNullException.ThrowIfNull(parts);
        var contribution = ReportKeys.Contribution(reportKey, input);
        var prefix = contribution + tally.ToString("D3", CultureInfo.InvariantCulture) + "_";
        var transactions = 0;
        await Parallel.ForEachAsync(
            days,
            new ParallelOptions { MaxDegreeOfParallelism = ParallelDays, CancellationToken = cancellationToken },
            async (day, ct) =>
            {
                var partition = ReportKeys.DomainDay(domain, day.Day);
                var rows = parts.Select((sources, i) => new TableTransactionAction(
                    TableTransactionActionType.UpsertReplace,
                    PackedSources.Row(partition, prefix + (firstPart + i).ToString("D4", CultureInfo.InvariantCulture), contribution, sources, day.Share)));
                Interlocked.Add(ref transactions, await TableOperations.SubmitAsync(table, [.. rows], ct));
            });
        return transactions;
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

            var report = row.RowKey[..ReportKeys.ContributionLength];
            // A row without a packed payload holds one source: the rows of the first release of ingestion.
            var packed = PackedSources.IsPacked(row) ? PackedSources.Read(row) : [(row.GetString("SourceIp"), ReportColumns.Dmarc(row))];
            foreach (var (source, counts) in packed)
            {
                if (!bySource.TryGetValue(source, out var totals))
                {
                    totals = (new DmarcCounts(), new HashSet<string>(StringComparer.Ordinal));
                    bySource[source] = totals;
                }

                totals.Counts.Add(counts);
                totals.Reports.Add(report);
            }
        }

        return [.. bySource.Select(s => new SourceTotals(s.Key, s.Value.Counts, s.Value.Reports.Count)).OrderByDescending(s => s.Counts.Messages).ThenBy(s => s.SourceIp, StringComparer.Ordinal)];
    }
}
