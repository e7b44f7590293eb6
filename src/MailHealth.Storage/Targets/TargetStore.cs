using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using MailHealth.Reports;
using MailHealth.Storage.Configuration;
using MailHealth.Storage.Keys;
using MailHealth.Storage.Paging;
using MailHealth.Storage.Tables;
using MailHealth.Targets;

namespace MailHealth.Storage.Targets;

/// <summary>
/// The monitored targets: table <c>{prefix}targets</c>, one partition <c>target</c>, RowKey the
/// escaped target id. The target is kept as its JSON (the report's shape; credentials are never
/// serialized), with Domain, Enabled and Tags as columns for listing.
/// </summary>
public sealed class TargetStore(StorageAccount account)
{
    private const string Partition = "target";
    private readonly TableClient table = account.Table(StorageTables.Targets);

    public async Task<StoredTarget> UpsertAsync(Target target, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(target);
        var entity = ToEntity(target);
        await TableOperations.SubmitAsync(table, [new TableTransactionAction(TableTransactionActionType.UpsertReplace, entity)], cancellationToken);
        var stored = await GetAsync(target.Id, cancellationToken);
        return stored ?? throw new InvalidOperationException($"target {target.Id} vanished right after it was written");
    }

    /// <summary>
    /// Writes <paramref name="targets"/> (an upsert each), a hundred to a transaction: every target
    /// lives in one partition, so ten thousand of them (a config file's fleet) are a hundred
    /// requests instead of ten thousand. Returns the number of transactions sent.
    /// </summary>
    public Task<int> UpsertAllAsync(IReadOnlyList<Target> targets, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(targets);
        return TableOperations.SubmitAsync(table, [.. targets.Select(t => new TableTransactionAction(TableTransactionActionType.UpsertReplace, ToEntity(t)))], cancellationToken);
    }

    /// <summary>Replaces the target only if it has not changed since <paramref name="etag"/> was read; <see cref="StorageConcurrencyException"/> otherwise.</summary>
    public async Task UpdateAsync(Target target, string etag, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(target);
        await TableOperations.SubmitAsync(table, [new TableTransactionAction(TableTransactionActionType.UpdateReplace, ToEntity(target), new ETag(etag))], cancellationToken);
    }

    public async Task<StoredTarget?> GetAsync(string targetId, CancellationToken cancellationToken = default)
    {
        var entity = await TableOperations.GetAsync(table, Partition, KeyText.Checked(KeyText.Escape(targetId), "target id"), cancellationToken);
        return entity is null ? null : FromEntity(entity);
    }

    /// <summary>Deletes the target; its history stays until retention purges it (or <see cref="Runs.RunStore.DeleteHistoryAsync"/>). True when it existed.</summary>
    public async Task<bool> DeleteAsync(string targetId, CancellationToken cancellationToken = default)
    {
        var response = await table.DeleteEntityAsync(Partition, KeyText.Escape(targetId), ETag.All, cancellationToken);
        return response.Status != 404;
    }

    /// <summary>Targets in id order, a page at a time; <paramref name="enabledOnly"/> for the scheduler.</summary>
    public async Task<StoredPage<StoredTarget>> ListAsync(int pageSize = 100, string? continuationToken = null, bool enabledOnly = false, CancellationToken cancellationToken = default)
    {
        var filter = enabledOnly
            ? TableClient.CreateQueryFilter($"PartitionKey eq {Partition} and Enabled eq {true}")
            : TableClient.CreateQueryFilter($"PartitionKey eq {Partition}");
        var page = await TableOperations.PageAsync(table, filter, pageSize, continuationToken, null, cancellationToken);
        return new StoredPage<StoredTarget>([.. page.Items.Select(FromEntity)], page.ContinuationToken);
    }

    /// <summary>Every target (the scheduler's fan-out, the retention purge): streamed, never all held.</summary>
    public async IAsyncEnumerable<Target> AllAsync(bool enabledOnly = false, [System.Runtime.CompilerServices.EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        var filter = enabledOnly
            ? TableClient.CreateQueryFilter($"PartitionKey eq {Partition} and Enabled eq {true}")
            : TableClient.CreateQueryFilter($"PartitionKey eq {Partition}");
        await foreach (var entity in TableOperations.QueryAllAsync(table, filter, null, cancellationToken))
        {
            yield return FromEntity(entity).Target;
        }
    }

    /// <summary>Every target's id and domain, enabled or not: the partition read with only those columns (report ingestion's map of domains to targets).</summary>
    public async Task<IReadOnlyList<(string Id, string Domain)>> ListDomainsAsync(CancellationToken cancellationToken = default)
    {
        var rows = await TableOperations.ListAsync(table, TableClient.CreateQueryFilter($"PartitionKey eq {Partition}"), cancellationToken, ["RowKey", "Domain"]);
        return [.. rows.Select(r => (KeyText.Unescape(r.RowKey), r.GetString("Domain")))];
    }

    private static TableEntity ToEntity(Target target) => new(Partition, KeyText.Checked(KeyText.Escape(target.Id), "target id"))
    {
        ["Domain"] = target.Domain,
        ["Enabled"] = target.Enabled,
        ["Tags"] = JsonSerializer.Serialize(target.Tags, ReportJson.Options),
        ["Json"] = JsonSerializer.Serialize(target, ReportJson.Options),
    };

    private static StoredTarget FromEntity(TableEntity entity)
    {
        var target = JsonSerializer.Deserialize<Target>(entity.GetString("Json"), ReportJson.Options)
            ?? throw new Payloads.StoredDataException($"target {entity.RowKey}: empty JSON");
        return new StoredTarget(target, entity.ETag.ToString());
    }
}
