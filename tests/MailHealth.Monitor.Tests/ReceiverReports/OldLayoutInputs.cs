using Azure.Data.Tables;
using MailHealth.Storage.Configuration;

namespace MailHealth.Monitor.Tests.ReceiverReports;

/// <summary>
/// Report input records as deployed tenants hold them from before the time index held whole
/// records: the input's own partition with its <c>input</c> row (processed, how many outcomes)
/// and a row <c>r{nnnnn}</c> per outcome, and time-index rows with neither the input's door,
/// size and processing time nor how many outcomes it has.
/// </summary>
internal static class OldLayoutInputs
{
    /// <summary>The columns the time index's rows gained with the layout that records an input in one write.</summary>
    private static readonly string[] IndexOnlyColumns = ["Door", "Bytes", "ProcessedAt", "Reports"];

    /// <summary>Rewrites the record of processed input <paramref name="input"/> as the layout before wrote it.</summary>
    public static async Task RewriteAsync(StorageAccount account, string input)
    {
        var table = account.Table(StorageTables.ReportInputs);
        var indexed = await RowsAsync(account, input);
        Assert.NotEmpty(indexed);
        Assert.All(indexed, row => Assert.StartsWith("m", row.PartitionKey, StringComparison.Ordinal));
        var first = indexed[0];
        var head = new TableEntity(input, "input")
        {
            ["ReceivedAt"] = first.GetDateTimeOffset("ReceivedAt"),
            ["Door"] = first.GetString("Door"),
            ["Bytes"] = first.GetInt64("Bytes"),
            ["State"] = "Processed",
            ["ProcessedAt"] = first.GetDateTimeOffset("ProcessedAt"),
            ["Reports"] = indexed.Count,
        };
        foreach (var row in indexed)
        {
            var outcome = new TableEntity(input, "r" + row.RowKey[^5..]);
            foreach (var (name, value) in row.Where(p => !IsKeyOrSystem(p.Key) && !IndexOnlyColumns.Contains(p.Key)))
            {
                outcome[name] = value;
            }

            await table.UpsertEntityAsync(outcome, TableUpdateMode.Replace);
            var old = new TableEntity(row.PartitionKey, row.RowKey);
            foreach (var (name, value) in outcome)
            {
                if (!IsKeyOrSystem(name))
                {
                    old[name] = value;
                }
            }

            await table.UpsertEntityAsync(old, TableUpdateMode.Replace);
        }

        await table.UpsertEntityAsync(head, TableUpdateMode.Replace);
    }

    /// <summary>Every row of the input log that is input <paramref name="input"/>'s: its own partition's and its time-index rows.</summary>
    public static async Task<List<TableEntity>> RowsAsync(StorageAccount account, string input)
    {
        var rows = new List<TableEntity>();
        await foreach (var row in account.Table(StorageTables.ReportInputs).QueryAsync<TableEntity>(TableClient.CreateQueryFilter($"PartitionKey eq {input} or Input eq {input}")))
        {
            rows.Add(row);
        }

        return rows;
    }

    private static bool IsKeyOrSystem(string name) => name is "PartitionKey" or "RowKey" or "Timestamp" or "odata.etag";
}
