using System.Text;
using System.Text.Json;
using Azure.Data.Tables;
using MailHealth.Checks;
using MailHealth.Reports;
using MailHealth.Runs;
using MailHealth.Storage.Configuration;
using MailHealth.Storage.Keys;
using MailHealth.Storage.Limits;
using MailHealth.Storage.Paging;
using MailHealth.Storage.Payloads;
using MailHealth.Storage.Tables;

namespace MailHealth.Storage.Runs;

/// <summary>
/// The history: every run's report, table <c>{prefix}runs</c> (keys in <see cref="RunKeys"/>).
/// A run's row holds its status and times as columns, a compressed summary of its checks
/// (<c>S000</c>...) and its compressed report JSON (<c>R000</c>...; overflow rows when it does not
/// fit in 1 MiB). Keys come from the run id, so writing the same run twice replaces it.
/// </summary>
public sealed class RunStore(StorageAccount account)
{
    /// <summary>The summary is read with a fixed select list, so it may use at most this many properties (256 KiB compressed).</summary>
    private const int MaxSummaryProperties = 4;

    private static readonly string[] SummaryColumns =
    [
        "RunId", "TargetId", "Slot", "StartedAt", "FinishedAt", "Status", "WriteId", "SLength", "SRows",
        .. Enumerable.Range(0, MaxSummaryProperties).Select(i => $"S{i:D3}"),
    ];

    private readonly TableClient table = account.Table(StorageTables.Runs);

    /// <summary>Writes (or rewrites) the run <paramref name="runId"/>. Overflow rows go first and the run's row last, so a reader never sees a run whose report is incomplete.</summary>
    public async Task<RunWriteResult> WriteAsync(RunId runId, Report report, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(report);
        var compressed = Gzip.CompressJson(report, ReportJson.Options, out var jsonBytes);
        var summary = new RunSummary(
            runId.TargetId,
            runId.ToString(),
            runId.Slot,
            report.StartedAt,
            report.FinishedAt,
            report.Status,
            [.. report.Checks.Select(CheckSummary.Of)],
            [.. report.MonitorFindings.Select(FindingSummary.Of)]);
        var summaryBytes = Gzip.CompressJson(summary, ReportJson.Options);

        var writeId = Guid.NewGuid().ToString("N");
        var main = new TableEntity(RunKeys.Partition(runId.TargetId), RunKeys.Run(runId.Slot))
        {
            ["RunId"] = runId.ToString(),
            ["TargetId"] = runId.TargetId,
            ["Slot"] = runId.Slot,
            ["StartedAt"] = report.StartedAt,
            ["FinishedAt"] = report.FinishedAt,
            ["Status"] = report.Status.ToString(),
            ["CheckCount"] = report.Checks.Count,
            ["FindingCount"] = report.Findings.Count(),
            ["ReportJsonBytes"] = jsonBytes,
        };
        ChunkedPayload.Spread(main, "S", summaryBytes, writeId, _ => throw new TableLimitException(
            $"run {runId}: the check summary is {summaryBytes.Length} bytes compressed, more than {MaxSummaryProperties} properties hold"), MaxSummaryProperties);
        var overflow = ChunkedPayload.Spread(main, "R", compressed, writeId, i => RunKeys.Overflow(runId.Slot, i));

        var actions = overflow
            .Select(row => new TableTransactionAction(TableTransactionActionType.UpsertReplace, row))
            .Append(new TableTransactionAction(TableTransactionActionType.UpsertReplace, main))
            .ToList();
        var transactions = await TableOperations.SubmitAsync(table, actions, cancellationToken);
        var bytes = actions.Sum(a => (long)EntityGuard.Check((TableEntity)a.Entity));
        return new RunWriteResult(actions.Count, bytes, transactions, jsonBytes, compressed.Length);
    }

    /// <summary>The stored report JSON of a run, byte for byte as <see cref="ReportJson"/> wrote it; null when the run is not stored.</summary>
    public async Task<string?> GetReportJsonAsync(RunId runId, CancellationToken cancellationToken = default)
    {
        var partition = RunKeys.Partition(runId.TargetId);
        var main = await TableOperations.GetAsync(table, partition, RunKeys.Run(runId.Slot), cancellationToken);
        return main is null ? null : await ReadReportJsonAsync(main, runId.Slot, cancellationToken);
    }

    public async Task<Report?> GetReportAsync(RunId runId, CancellationToken cancellationToken = default)
    {
        var json = await GetReportJsonAsync(runId, cancellationToken);
        return json is null ? null : Deserialize(json);
    }

    /// <summary>The newest run's report JSON (the API's <c>/report</c>): the first row of the partition's run range.</summary>
    public async Task<(RunId RunId, string Json)?> GetLatestReportJsonAsync(string targetId, CancellationToken cancellationToken = default)
    {
        var partition = RunKeys.Partition(targetId);
        var filter = TableOperations.RangeFilter(partition, RunKeys.RunPrefix, TableOperations.PrefixEnd(RunKeys.RunPrefix));
        await foreach (var page in table.QueryAsync<TableEntity>(filter, 1, null, cancellationToken).AsPages(null, 1))
        {
            if (page.Values.Count == 0)
            {
                continue;
            }

            var main = page.Values[0];
            var slot = main.GetDateTimeOffset("Slot") ?? throw new StoredDataException($"run ({main.PartitionKey}, {main.RowKey}) has no Slot");
            return (new RunId(targetId, slot), await ReadReportJsonAsync(main, slot, cancellationToken));
        }

        return null;
    }

    public async Task<Report?> GetLatestReportAsync(string targetId, CancellationToken cancellationToken = default)
    {
        var latest = await GetLatestReportJsonAsync(targetId, cancellationToken);
        return latest is null ? null : Deserialize(latest.Value.Json);
    }

    /// <summary>A page of history, newest first: one key range of the target's partition, never a scan.</summary>
    public async Task<StoredPage<RunSummary>> GetHistoryAsync(HistoryQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var partition = RunKeys.Partition(query.TargetId);
        var from = query.To is { } to ? RunKeys.Run(to) : RunKeys.RunPrefix;
        var filter = query.From is { } start
            ? TableClient.CreateQueryFilter($"PartitionKey eq {partition} and RowKey ge {from} and RowKey le {RunKeys.Run(start)}")
            : TableOperations.RangeFilter(partition, from, TableOperations.PrefixEnd(RunKeys.RunPrefix));
        var page = await TableOperations.PageAsync(table, filter, query.PageSize, query.ContinuationToken, SummaryColumns, cancellationToken);
        var runs = new List<RunSummary>(page.Items.Count);
        foreach (var entity in page.Items)
        {
            var summary = Gzip.DecompressJson<RunSummary>(ChunkedPayload.Gather(entity, "S", []), ReportJson.Options)
                ?? throw new StoredDataException($"run ({entity.PartitionKey}, {entity.RowKey}): empty summary");
            if (query.CheckId is { } checkId)
            {
                var checks = summary.Checks.Where(c => c.Id == checkId).ToList();
                if (checks.Count == 0)
                {
                    continue;
                }

                summary = summary with { Checks = checks };
            }

            runs.Add(summary);
        }

        return new StoredPage<RunSummary>(runs, page.ContinuationToken);
    }

    /// <summary>Deletes the target's runs whose slot is before <paramref name="before"/>: two key ranges (run rows, overflow rows). Returns the entities deleted.</summary>
    public async Task<int> PurgeAsync(string targetId, DateTimeOffset before, CancellationToken cancellationToken = default)
    {
        var partition = RunKeys.Partition(targetId);
        var runs = TableClient.CreateQueryFilter(
            $"PartitionKey eq {partition} and RowKey gt {RunKeys.Run(before)} and RowKey lt {TableOperations.PrefixEnd(RunKeys.RunPrefix)}");
        var overflow = TableClient.CreateQueryFilter(
            $"PartitionKey eq {partition} and RowKey gt {RunKeys.OverflowEnd(before)} and RowKey lt {TableOperations.PrefixEnd(RunKeys.OverflowPrefix)}");
        return await TableOperations.DeleteWhereAsync(table, runs, cancellationToken)
            + await TableOperations.DeleteWhereAsync(table, overflow, cancellationToken);
    }

    /// <summary>Deletes the whole history of a target (after the target itself is deleted).</summary>
    public Task<int> DeleteHistoryAsync(string targetId, CancellationToken cancellationToken = default) =>
        TableOperations.DeleteWhereAsync(table, TableClient.CreateQueryFilter($"PartitionKey eq {RunKeys.Partition(targetId)}"), cancellationToken);

    private static Report Deserialize(string json) =>
        JsonSerializer.Deserialize<Report>(json, ReportJson.Options) ?? throw new StoredDataException("a stored report is empty");

    private async Task<string> ReadReportJsonAsync(TableEntity main, DateTimeOffset slot, CancellationToken cancellationToken)
    {
        var overflow = new List<TableEntity>();
        if (ChunkedPayload.OverflowRows(main, "R") > 0)
        {
            var filter = TableOperations.RangeFilter(main.PartitionKey, RunKeys.OverflowStart(slot), RunKeys.OverflowEnd(slot));
            overflow = await TableOperations.ListAsync(table, filter, cancellationToken);
            // Rows past the count are left from an earlier, larger write of the same run: not ours.
            overflow = [.. overflow.OrderBy(e => e.RowKey, StringComparer.Ordinal).Take(ChunkedPayload.OverflowRows(main, "R"))];
        }

        return Encoding.UTF8.GetString(Gzip.Decompress(ChunkedPayload.Gather(main, "R", overflow)));
    }
}
