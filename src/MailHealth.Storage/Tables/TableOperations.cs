using System.Runtime.CompilerServices;
using Azure;
using Azure.Data.Tables;
using MailHealth.Storage.Limits;
using MailHealth.Storage.Paging;

namespace MailHealth.Storage.Tables;

/// <summary>What every store does with a table: guarded transactions, pages, key-range deletes.</summary>
internal static class TableOperations
{
    public const int MaxPageSize = 1000;

    /// <summary>
    /// Submits <paramref name="actions"/> (all in one partition) in order, as few transactions as the
    /// limits allow: one when it fits (atomic), otherwise consecutive groups of at most 100
    /// operations and 4 MiB. Every entity and group is checked by <see cref="EntityGuard"/> first.
    /// Returns the number of transactions sent.
    /// </summary>
    public static Task<int> SubmitAsync(TableClient table, IReadOnlyList<TableTransactionAction> actions, CancellationToken cancellationToken) =>
        SubmitAsync(table, [.. actions.Select(a => (IReadOnlyList<TableTransactionAction>)[a])], cancellationToken);

    /// <summary>
    /// As <see cref="SubmitAsync(TableClient, IReadOnlyList{TableTransactionAction}, CancellationToken)"/>,
    /// but each unit of <paramref name="units"/> goes whole into one transaction: a boundary falls
    /// only between units, so a save cut between its transactions never leaves half a unit written.
    /// </summary>
    public static async Task<int> SubmitAsync(TableClient table, IReadOnlyList<IReadOnlyList<TableTransactionAction>> units, CancellationToken cancellationToken)
    {
        foreach (var action in units.SelectMany(u => u))
        {
            if (action.Entity is TableEntity entity && action.ActionType != TableTransactionActionType.Delete)
            {
                EntityGuard.Check(entity);
            }
        }

        var groups = new List<List<TableTransactionAction>>();
        var current = new List<TableTransactionAction>();
        long currentBytes = 0;
        foreach (var unit in units)
        {
            var bytes = unit.Sum(a => EntityGuard.EstimatedWireBytes(a.Entity));
            if (current.Count > 0 && (current.Count + unit.Count > TableLimits.MaxBatchOperations || currentBytes + bytes > TableLimits.MaxBatchPayloadBytes))
            {
                groups.Add(current);
                current = [];
                currentBytes = 0;
            }

            current.AddRange(unit);
            currentBytes += bytes;
        }

        if (current.Count > 0)
        {
            groups.Add(current);
        }

        foreach (var group in groups)
        {
            EntityGuard.CheckBatch(group);
            try
            {
                await table.SubmitTransactionAsync(group, cancellationToken);
            }
            catch (TableTransactionFailedException e) when (e.Status is 409 or 412)
            {
                var failed = e.FailedTransactionActionIndex is int i && i < group.Count ? group[i].Entity : null;
                throw new StorageConcurrencyException(
                    $"{table.Name}: ({failed?.PartitionKey}, {failed?.RowKey}) changed since it was read ({e.Status}); read again and retry", e);
            }
        }

        return groups.Count;
    }

    /// <summary>One page of <paramref name="filter"/>; the continuation is wrapped and bound to the filter.</summary>
    public static async Task<StoredPage<TableEntity>> PageAsync(
        TableClient table, string filter, int pageSize, string? continuation, IEnumerable<string>? select, CancellationToken cancellationToken)
    {
        if (pageSize is < 1 or > MaxPageSize)
        {
            throw new ArgumentOutOfRangeException(nameof(pageSize), pageSize, $"the page size must be 1-{MaxPageSize}");
        }

        var serviceToken = ContinuationToken.Unwrap(continuation, table.Name + "\n" + filter);
        try
        {
            await foreach (var page in table.QueryAsync<TableEntity>(filter, pageSize, select, cancellationToken).AsPages(serviceToken, pageSize))
            {
                return new StoredPage<TableEntity>(page.Values, ContinuationToken.Wrap(page.ContinuationToken, table.Name + "\n" + filter));
            }
        }
        catch (RequestFailedException e) when (serviceToken is not null && e.Status is 400)
        {
            throw new InvalidContinuationTokenException("the continuation token is not one this query returned", e);
        }

        return new StoredPage<TableEntity>([], null);
    }

    public static async IAsyncEnumerable<TableEntity> QueryAllAsync(
        TableClient table, string? filter, IEnumerable<string>? select, [EnumeratorCancellation] CancellationToken cancellationToken)
    {
        await foreach (var entity in table.QueryAsync<TableEntity>(filter, MaxPageSize, select, cancellationToken))
        {
            yield return entity;
        }
    }

    public static async Task<List<TableEntity>> ListAsync(TableClient table, string filter, CancellationToken cancellationToken, IEnumerable<string>? select = null)
    {
        var list = new List<TableEntity>();
        await foreach (var entity in QueryAllAsync(table, filter, select, cancellationToken))
        {
            list.Add(entity);
        }

        return list;
    }

    public static async Task<TableEntity?> GetAsync(TableClient table, string partitionKey, string rowKey, CancellationToken cancellationToken, IEnumerable<string>? select = null)
    {
        var response = await table.GetEntityIfExistsAsync<TableEntity>(partitionKey, rowKey, select, cancellationToken);
        return response.HasValue ? response.Value : null;
    }

    /// <summary>Deletes every entity that <paramref name="filter"/> matches, in transactions of 100 per partition. Returns how many.</summary>
    public static async Task<int> DeleteWhereAsync(TableClient table, string filter, CancellationToken cancellationToken)
    {
        var deleted = 0;
        var pending = new List<TableTransactionAction>();
        await foreach (var entity in QueryAllAsync(table, filter, ["PartitionKey", "RowKey"], cancellationToken))
        {
            if (pending.Count > 0 && (pending.Count == TableLimits.MaxBatchOperations || pending[0].Entity.PartitionKey != entity.PartitionKey))
            {
                deleted += await DeleteBatchAsync(table, pending, cancellationToken);
                pending.Clear();
            }

            pending.Add(new TableTransactionAction(TableTransactionActionType.Delete, entity, ETag.All));
        }

        if (pending.Count > 0)
        {
            deleted += await DeleteBatchAsync(table, pending, cancellationToken);
        }

        return deleted;
    }

    /// <summary>Removes null-valued properties: the service stores no nulls, and an absent property reads back as null.</summary>
    public static TableEntity WithoutNulls(this TableEntity entity)
    {
        foreach (var name in entity.Where(p => p.Value is null).Select(p => p.Key).ToList())
        {
            entity.Remove(name);
        }

        return entity;
    }

    /// <summary>The filter for row keys in [<paramref name="from"/>, <paramref name="to"/>) of one partition, escaped.</summary>
    public static string RangeFilter(string partitionKey, string from, string to) =>
        TableClient.CreateQueryFilter($"PartitionKey eq {partitionKey} and RowKey ge {from} and RowKey lt {to}");

    /// <summary>The smallest string greater than every string starting with <paramref name="prefix"/>.</summary>
    public static string PrefixEnd(string prefix) => prefix[..^1] + (char)(prefix[^1] + 1);

    private static async Task<int> DeleteBatchAsync(TableClient table, List<TableTransactionAction> batch, CancellationToken cancellationToken)
    {
        try
        {
            await table.SubmitTransactionAsync(batch, cancellationToken);
        }
        catch (TableTransactionFailedException e) when (e.Status == 404)
        {
            // Someone else deleted one of them meanwhile: delete the rest one by one.
            foreach (var action in batch)
            {
                await table.DeleteEntityAsync(action.Entity.PartitionKey, action.Entity.RowKey, ETag.All, cancellationToken);
            }
        }

        return batch.Count;
    }
}
