using Azure.Data.Tables;
using MailHealth.Changes;
using MailHealth.Runs;
using MailHealth.Storage.Configuration;
using MailHealth.Storage.Keys;
using MailHealth.Storage.Paging;
using MailHealth.Storage.Tables;

namespace MailHealth.Storage.Changes;

/// <summary>
/// Change events. Table <c>{prefix}changes</c>: PartitionKey = escaped target id, RowKey =
/// <c>{reverse slot}_{item}</c>. Table <c>{prefix}changeindex</c>: one partition <c>all</c>, RowKey
/// = <c>{reverse slot}_{target}_{item}</c>, for "what changed anywhere, newest first". The slot is
/// the run's schedule slot (from its run id), so a retried run rewrites the same events; both
/// queries are one key range. Change events are rare (a record edited, a certificate renewed),
/// so one index partition stays far below the service's per-partition throughput.
/// </summary>
public sealed class ChangeEventStore(StorageAccount account)
{
    private const string IndexPartition = "all";

    /// <summary>Characters kept as a plain string property; longer values are compressed (a string property holds 32 Ki characters).</summary>
    private const int LongText = 8 * 1024;
    private readonly TableClient table = account.Table(StorageTables.Changes);
    private readonly TableClient index = account.Table(StorageTables.ChangeIndex);

    /// <summary>Stores events (upsert: writing the same run's events again changes nothing).</summary>
    public async Task AddAsync(IReadOnlyList<ChangeEvent> events, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(events);
        foreach (var group in events.GroupBy(e => e.TargetId, StringComparer.Ordinal))
        {
            var partition = Partition(group.Key);
            var actions = group
                .Select(e => new TableTransactionAction(TableTransactionActionType.UpsertReplace, ToEntity(partition, $"{ReverseTime.Key(SlotOf(e))}_{KeyText.Escape(e.Item)}", e)))
                .ToList();
            await TableOperations.SubmitAsync(table, actions, cancellationToken);
        }

        var indexActions = events
            .Select(e => new TableTransactionAction(
                TableTransactionActionType.UpsertReplace,
                ToEntity(IndexPartition, $"{ReverseTime.Key(SlotOf(e))}_{KeyText.Escape(e.TargetId)}|{KeyText.Escape(e.Item)}", e)))
            .ToList();
        if (indexActions.Count > 0)
        {
            await TableOperations.SubmitAsync(index, indexActions, cancellationToken);
        }
    }

    public async Task<StoredPage<ChangeEvent>> ListAsync(ChangeEventQuery query, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(query);
        var (client, partition) = query.TargetId is { } targetId ? (table, Partition(targetId)) : (index, IndexPartition);

        // Newest first: the range starts at To (smallest reverse key) and ends after From; '`' sorts after '_'.
        var from = query.To is { } to ? ReverseTime.Key(to) : "0";
        var until = query.From is { } start ? ReverseTime.Key(start) + "`" : ":";
        var filter = TableOperations.RangeFilter(partition, from, until);
        var page = await TableOperations.PageAsync(client, filter, query.PageSize, query.ContinuationToken, null, cancellationToken);
        return new StoredPage<ChangeEvent>([.. page.Items.Select(FromEntity)], page.ContinuationToken);
    }

    /// <summary>Deletes the target's events (and their index entries) from runs before <paramref name="before"/>.</summary>
    public async Task<int> PurgeAsync(string targetId, DateTimeOffset before, CancellationToken cancellationToken = default) =>
        await TableOperations.DeleteWhereAsync(table, OlderThan(Partition(targetId), before), cancellationToken);

    /// <summary>Deletes index entries from runs before <paramref name="before"/>, all targets at once.</summary>
    public Task<int> PurgeIndexAsync(DateTimeOffset before, CancellationToken cancellationToken = default) =>
        TableOperations.DeleteWhereAsync(index, OlderThan(IndexPartition, before), cancellationToken);

    /// <summary>The time the event is filed under: its run's slot when the run id carries one (deterministic), else when it was seen.</summary>
    internal static DateTimeOffset SlotOf(ChangeEvent change)
    {
        var separator = change.RunId.LastIndexOf('/');
        return separator >= 0 && RunId.TryParseSlot(change.RunId[(separator + 1)..], out var slot) ? slot : change.At;
    }

    private static string OlderThan(string partition, DateTimeOffset before) =>
        TableClient.CreateQueryFilter($"PartitionKey eq {partition} and RowKey gt {ReverseTime.Key(before) + "`"} and RowKey lt {":"}");

    private static string Partition(string targetId) => KeyText.Checked(KeyText.Escape(targetId), "target id");

    private static TableEntity ToEntity(string partition, string rowKey, ChangeEvent e)
    {
        var entity = new TableEntity(partition, KeyText.Checked(rowKey, "change event"))
        {
            ["TargetId"] = e.TargetId,
            ["Item"] = e.Item,
            ["Summary"] = e.Summary,
            ["At"] = e.At,
            ["RunId"] = e.RunId,
        };
        SetText(entity, "Before", e.Before);
        SetText(entity, "After", e.After);
        return entity;
    }

    /// <summary>A value (a whole MTA-STS policy, a long SPF chain) too long for a string property is kept compressed instead.</summary>
    private static void SetText(TableEntity entity, string name, string? value)
    {
        if (value is null)
        {
            return;
        }

        if (value.Length <= LongText)
        {
            entity[name] = value;
        }
        else
        {
            var compressed = Payloads.Gzip.Compress(System.Text.Encoding.UTF8.GetBytes(value));
            entity[name + "Gz"] = compressed.Length <= Limits.TableLimits.MaxPropertyBytes
                ? compressed
                : throw new Limits.TableLimitException($"change {Where(entity)}: {name} is {compressed.Length} bytes even compressed");
        }

        static string Where(TableEntity entity) => $"({entity.PartitionKey}, {entity.RowKey})";
    }

    private static string? GetText(TableEntity entity, string name) =>
        entity.GetBinary(name + "Gz") is { } compressed
            ? System.Text.Encoding.UTF8.GetString(Payloads.Gzip.Decompress(compressed))
            : entity.GetString(name);

    private static ChangeEvent FromEntity(TableEntity e) => new(
        e.GetString("TargetId"),
        e.GetString("Item"),
        GetText(e, "Before"),
        GetText(e, "After"),
        e.GetString("Summary"),
        e.GetDateTimeOffset("At") ?? default,
        e.GetString("RunId"));
}
