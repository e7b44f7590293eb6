using Azure.Data.Tables;
using MailHealth.Storage.Configuration;
using MailHealth.Storage.Keys;
using MailHealth.Storage.Tables;

namespace MailHealth.Storage.ReceiverReports;

/// <summary>
/// The DKIM selectors receivers reported signing a target's mail, table
/// <c>{prefix}reportselectors</c>: partition = escaped target id, row = selector, with when it was
/// first and last reported (<c>FirstSeenAt</c>, <c>ReportedAt</c>: the end of the report's range).
/// A report's selectors go in one transaction by ETag, and a time only ever moves outward, so a
/// report recorded twice changes nothing.
/// </summary>
public sealed class ReportedSelectorStore(StorageAccount account)
{
    private const int Attempts = 5;
    private readonly TableClient table = account.Table(StorageTables.ReportedSelectors);

    /// <summary>Records that a report named <paramref name="selectors"/> at <paramref name="at"/> for target <paramref name="targetId"/>.</summary>
    public async Task RecordAsync(string targetId, IReadOnlyCollection<string> selectors, DateTimeOffset at, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(selectors);
        var partition = Partition(targetId);
        for (var attempt = 1; ; attempt++)
        {
            var rows = (await ReadAsync(targetId, cancellationToken)).ToDictionary(r => r.RowKey, StringComparer.Ordinal);
            var actions = new List<TableTransactionAction>();
            foreach (var selector in selectors)
            {
                var key = KeyText.Checked(KeyText.Escape(selector), "DKIM selector");
                var row = rows.GetValueOrDefault(key);
                var first = row?.GetDateTimeOffset("FirstSeenAt") is { } earlier && earlier < at ? earlier : at;
                var reported = row?.GetDateTimeOffset("ReportedAt") is { } later && later > at ? later : at;
                if (row is not null && first == row.GetDateTimeOffset("FirstSeenAt") && reported == row.GetDateTimeOffset("ReportedAt"))
                {
                    continue;
                }

                var entity = new TableEntity(partition, key) { ["Selector"] = selector, ["FirstSeenAt"] = first, ["ReportedAt"] = reported };
                actions.Add(row is null
                    ? new TableTransactionAction(TableTransactionActionType.Add, entity)
                    : new TableTransactionAction(TableTransactionActionType.UpdateReplace, entity, row.ETag));
            }

            try
            {
                await TableOperations.SubmitAsync(table, actions, cancellationToken);
                return;
            }
            catch (StorageConcurrencyException) when (attempt < Attempts)
            {
                // Another report of the target was recorded in between: read again.
            }
        }
    }

    /// <summary>Each reported selector of the target with when it was last reported, in selector order.</summary>
    public async Task<IReadOnlyList<(string Selector, DateTimeOffset FirstSeenAt, DateTimeOffset ReportedAt)>> GetAsync(string targetId, CancellationToken cancellationToken = default) =>
        [.. (await ReadAsync(targetId, cancellationToken)).Select(r => (r.GetString("Selector"), r.GetDateTimeOffset("FirstSeenAt") ?? default, r.GetDateTimeOffset("ReportedAt") ?? default))];

    private static string Partition(string targetId) => KeyText.Checked(KeyText.Escape(targetId), "target id");

    private Task<List<TableEntity>> ReadAsync(string targetId, CancellationToken cancellationToken) =>
        TableOperations.ListAsync(table, TableClient.CreateQueryFilter($"PartitionKey eq {Partition(targetId)}"), cancellationToken);
}
