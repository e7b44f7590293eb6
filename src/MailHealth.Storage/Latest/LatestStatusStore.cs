using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using MailHealth.Checks;
using MailHealth.Reports;
using MailHealth.Runs;
using MailHealth.Storage.Configuration;
using MailHealth.Storage.Keys;
using MailHealth.Storage.Limits;
using MailHealth.Storage.Payloads;
using MailHealth.Storage.Runs;
using MailHealth.Storage.Tables;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace MailHealth.Storage.Latest;

/// <summary>
/// The latest status, table <c>{prefix}latest</c>: PartitionKey = escaped target id, one row
/// <c>run</c> (the newest run) and one row <c>c_{escaped check id}</c> per check, so
/// <see cref="GetAsync"/> is a single partition read. Updates are conditional on the ETags just
/// read and never let an older run (a late duplicate) overwrite a newer one.
/// </summary>
public sealed class LatestStatusStore(StorageAccount account, ILogger<LatestStatusStore>? logger = null)
{
    private const string RunRow = "run";
    private const string CheckPrefix = "c_";
    private const int Attempts = 5;

    /// <summary>Partition reads at once when the targets that ran since a previous read are read again.</summary>
    private const int ChangedReadsAtOnce = 8;
    private readonly TableClient table = account.Table(StorageTables.Latest);
    private readonly ILogger logger = logger ?? NullLogger<LatestStatusStore>.Instance;

    public async Task UpdateAsync(RunId runId, Report report, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(report);
        for (var attempt = 1; ; attempt++)
        {
            try
            {
                await TryUpdateAsync(runId, report, cancellationToken);
                return;
            }
            catch (StorageConcurrencyException) when (attempt < Attempts)
            {
                StorageLog.LatestRetry(logger, runId.ToString(), attempt);
            }
        }
    }

    public async Task<LatestStatus?> GetAsync(string targetId, CancellationToken cancellationToken = default) =>
        Read(targetId, await TableOperations.ListAsync(table, TableClient.CreateQueryFilter($"PartitionKey eq {Partition(targetId)}"), cancellationToken));

    /// <summary>
    /// The latest status of each of <paramref name="targetIds"/> that has one, in one scan of the
    /// table (a page per thousand rows, about a dozen rows per target) rather than a request per
    /// target: a fleet of ten thousand is some 130 requests instead of 10,000.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, LatestStatus>> GetAllAsync(IEnumerable<string> targetIds, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(targetIds);
        var ids = targetIds.ToDictionary(Partition, id => id, StringComparer.Ordinal);
        var found = new Dictionary<string, LatestStatus>(StringComparer.Ordinal);
        var rows = new List<TableEntity>();
        void Flush()
        {
            if (rows.Count > 0 && ids.TryGetValue(rows[0].PartitionKey, out var id) && Read(id, rows) is { } status)
            {
                found[id] = status;
            }

            rows.Clear();
        }

        // A scan returns rows in PartitionKey order, so a target's rows come together.
        await foreach (var row in TableOperations.QueryAllAsync(table, null, null, cancellationToken))
        {
            if (rows.Count > 0 && rows[0].PartitionKey != row.PartitionKey)
            {
                Flush();
            }

            rows.Add(row);
        }

        Flush();
        return found;
    }

    /// <summary>
    /// The latest status of each of <paramref name="targetIds"/> that has one, keeping those of
    /// <paramref name="previous"/> whose run row is unchanged (the same ETag: every update rewrites
    /// it): one scan of the run rows alone, a small row per target, then a partition read of each
    /// target that ran since. A fleet scraped every few seconds reads the few targets that ran,
    /// not every check summary of every target. With no <paramref name="previous"/>, one full scan.
    /// </summary>
    public async Task<IReadOnlyDictionary<string, LatestStatus>> GetAllAsync(
        IEnumerable<string> targetIds, IReadOnlyDictionary<string, LatestStatus>? previous, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(targetIds);
        if (previous is null || previous.Count == 0)
        {
            return await GetAllAsync(targetIds, cancellationToken).ConfigureAwait(false);
        }

        var ids = targetIds.ToDictionary(Partition, id => id, StringComparer.Ordinal);
        var found = new Dictionary<string, LatestStatus>(StringComparer.Ordinal);
        var changed = new List<string>();
        await foreach (var run in TableOperations.QueryAllAsync(table, TableClient.CreateQueryFilter($"RowKey eq {RunRow}"), ["PartitionKey", "RowKey"], cancellationToken).ConfigureAwait(false))
        {
            if (!ids.TryGetValue(run.PartitionKey, out var id))
            {
                continue;
            }

            if (previous.TryGetValue(id, out var known) && known.Version == run.ETag.ToString())
            {
                found[id] = known;
            }
            else
            {
                changed.Add(id);
            }
        }

        var reads = new LatestStatus?[changed.Count];
        await Parallel.ForAsync(
            0,
            changed.Count,
            new ParallelOptions { MaxDegreeOfParallelism = ChangedReadsAtOnce, CancellationToken = cancellationToken },
            async (i, ct) => reads[i] = await GetAsync(changed[i], ct).ConfigureAwait(false)).ConfigureAwait(false);
        for (var i = 0; i < changed.Count; i++)
        {
            if (reads[i] is { } status)
            {
                found[changed[i]] = status;
            }
        }

        return found;
    }

    private static LatestStatus? Read(string targetId, IReadOnlyList<TableEntity> rows)
    {
        var run = rows.FirstOrDefault(r => r.RowKey == RunRow);
        if (run is null)
        {
            return null;
        }

        var checks = rows
            .Where(r => r.RowKey.StartsWith(CheckPrefix, StringComparison.Ordinal))
            .Select(r => new LatestCheck(ReadSummary(r), r.GetString("RunId"), Slot(r), r.GetDateTimeOffset("FinishedAt") ?? default))
            .OrderBy(c => c.Check.Id, StringComparer.Ordinal)
            .ToList();
        return new LatestStatus(
            targetId,
            run.GetString("RunId"),
            Slot(run),
            run.GetDateTimeOffset("FinishedAt") ?? default,
            Enum.Parse<CheckStatus>(run.GetString("Status")),
            checks)
        {
            Version = run.ETag.ToString(),
        };
    }

    public Task<int> DeleteAsync(string targetId, CancellationToken cancellationToken = default) =>
        TableOperations.DeleteWhereAsync(table, TableClient.CreateQueryFilter($"PartitionKey eq {Partition(targetId)}"), cancellationToken);

    private async Task TryUpdateAsync(RunId runId, Report report, CancellationToken cancellationToken)
    {
        var partition = Partition(runId.TargetId);
        var existing = (await TableOperations.ListAsync(table, TableClient.CreateQueryFilter($"PartitionKey eq {partition}"), cancellationToken, ["PartitionKey", "RowKey", "Slot"]))
            .ToDictionary(r => r.RowKey, StringComparer.Ordinal);
        if (existing.TryGetValue(RunRow, out var storedRun) && Slot(storedRun) > runId.Slot)
        {
            return;
        }

        var actions = new List<TableTransactionAction>();
        var seen = new HashSet<string>(StringComparer.Ordinal);
        foreach (var check in report.Checks)
        {
            var rowKey = KeyText.Checked(CheckPrefix + KeyText.Escape(check.Id), "check id");
            if (!seen.Add(rowKey))
            {
                continue;
            }

            var entity = new TableEntity(partition, rowKey)
            {
                ["CheckId"] = check.Id,
                ["RunId"] = runId.ToString(),
                ["Slot"] = runId.Slot,
                ["FinishedAt"] = report.FinishedAt,
                ["Status"] = check.Status.ToString(),
            };
            var summary = Gzip.CompressJson(CheckSummary.Of(check), ReportJson.Options);
            ChunkedPayload.Spread(entity, "S", summary, runId.SlotText, _ => throw new TableLimitException(
                $"latest {runId}/{check.Id}: the check summary does not fit in one entity"));
            actions.Add(Write(entity, existing.GetValueOrDefault(rowKey)));
        }

        foreach (var (rowKey, row) in existing)
        {
            // A check the newest run no longer has (a host removed): its old result is not the latest status.
            if (rowKey.StartsWith(CheckPrefix, StringComparison.Ordinal) && !seen.Contains(rowKey) && Slot(row) <= runId.Slot)
            {
                actions.Add(new TableTransactionAction(TableTransactionActionType.Delete, row, row.ETag));
            }
        }

        var runEntity = new TableEntity(partition, RunRow)
        {
            ["RunId"] = runId.ToString(),
            ["Slot"] = runId.Slot,
            ["FinishedAt"] = report.FinishedAt,
            ["Status"] = report.Status.ToString(),
        };
        actions.Add(Write(runEntity, existing.GetValueOrDefault(RunRow)));
        await TableOperations.SubmitAsync(table, actions, cancellationToken);
    }

    private static TableTransactionAction Write(TableEntity entity, TableEntity? existing) => existing is null
        ? new TableTransactionAction(TableTransactionActionType.Add, entity)
        : new TableTransactionAction(TableTransactionActionType.UpdateReplace, entity, existing.ETag);

    private static string Partition(string targetId) => KeyText.Checked(KeyText.Escape(targetId), "target id");

    private static DateTimeOffset Slot(TableEntity entity) => entity.GetDateTimeOffset("Slot") ?? DateTimeOffset.MinValue;

    private static CheckSummary ReadSummary(TableEntity entity) =>
        Gzip.DecompressJson<CheckSummary>(ChunkedPayload.Gather(entity, "S", []), ReportJson.Options)
        ?? throw new StoredDataException($"latest ({entity.PartitionKey}, {entity.RowKey}): empty summary");
}
