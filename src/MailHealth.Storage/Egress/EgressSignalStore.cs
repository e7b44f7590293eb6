using System.Text.Json;
using Azure.Data.Tables;
using MailHealth.Egress;
using MailHealth.Storage.Configuration;
using MailHealth.Storage.Keys;
using MailHealth.Storage.Tables;

namespace MailHealth.Storage.Egress;

/// <summary>
/// The fleet's recent port-25 signals where every worker sees them (docs/egress.md): table
/// <c>{prefix}egress</c>, PartitionKey <c>port25</c>, one row per target (RowKey = escaped target
/// id) holding that target's latest signals and when they were seen. A run writes its own row and
/// reads the rows still within the window: one partition, one query.
/// </summary>
public sealed class EgressSignalStore(StorageAccount account, TimeProvider time, TimeSpan window) : IEgressSignalWindow
{
    private const string Partition = "port25";
    private readonly TableClient table = account.Table(StorageTables.Egress);

    public TimeSpan Window => window;

    public async Task<IReadOnlyList<PortProbeSignal>> RecordAndReadAsync(string targetId, IReadOnlyList<PortProbeSignal> signals, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(signals);
        var now = time.GetUtcNow();
        var row = new TableEntity(Partition, KeyText.Checked(KeyText.Escape(targetId), "target id"))
        {
            ["At"] = now,
            ["Signals"] = JsonSerializer.Serialize(signals),
        };
        await table.UpsertEntityAsync(row, TableUpdateMode.Replace, cancellationToken);

        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {Partition} and At ge {now - window}");
        var rows = await TableOperations.ListAsync(table, filter, cancellationToken);
        return [.. rows.SelectMany(r => JsonSerializer.Deserialize<List<PortProbeSignal>>(r.GetString("Signals") ?? "[]") ?? [])];
    }

    /// <summary>The verdict of the signals still within the window, for the health route; writes nothing.</summary>
    public async Task<EgressVerdict> ReadVerdictAsync(int minimumTargets, CancellationToken cancellationToken)
    {
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {Partition} and At ge {time.GetUtcNow() - window}");
        var rows = await TableOperations.ListAsync(table, filter, cancellationToken);
        var signals = rows.SelectMany(r => JsonSerializer.Deserialize<List<PortProbeSignal>>(r.GetString("Signals") ?? "[]") ?? []).ToList();
        return EgressAnalysis.Judge(signals, minimumTargets);
    }
}
