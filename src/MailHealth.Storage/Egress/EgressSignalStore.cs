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
/// id) holding that target's latest signals and when they were seen. A run writes its own row at
/// once; the other targets' rows are read from the table at most every <see cref="RefreshEvery"/>
/// (a whole-partition read per run would cost O(fleet) per target), so another worker's signal is
/// seen within that delay, this worker's at once.
/// </summary>
public sealed class EgressSignalStore(StorageAccount account, TimeProvider time, TimeSpan window) : IEgressSignalWindow
{
    private const string Partition = "port25";
    private readonly TableClient table = account.Table(StorageTables.Egress);
    private readonly SemaphoreSlim refreshing = new(1, 1);
    private readonly Lock gate = new();
    private EgressSignalRows rows = new();
    private DateTimeOffset? readAt;

    public TimeSpan Window => window;

    /// <summary>Longest a worker goes without reading the other workers' signals: a tenth of the window, at most 30 s.</summary>
    public TimeSpan RefreshEvery => window / 10 < TimeSpan.FromSeconds(30) ? window / 10 : TimeSpan.FromSeconds(30);

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
        await RefreshAsync(now, cancellationToken);
        lock (gate)
        {
            rows.Set(targetId, now, signals);
            return rows.Within(now, window);
        }
    }

    /// <summary>The verdict of the signals still within the window, for the health route; writes nothing.</summary>
    public async Task<EgressVerdict> ReadVerdictAsync(int minimumTargets, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        await RefreshAsync(now, cancellationToken);
        lock (gate)
        {
            return EgressAnalysis.Judge(rows.Within(now, window), minimumTargets);
        }
    }

    private async Task RefreshAsync(DateTimeOffset now, CancellationToken cancellationToken)
    {
        if (readAt is { } last && now - last < RefreshEvery)
        {
            return;
        }

        await refreshing.WaitAsync(cancellationToken);
        try
        {
            if (readAt is { } again && now - again < RefreshEvery)
            {
                return;
            }

            var filter = TableClient.CreateQueryFilter($"PartitionKey eq {Partition} and At ge {now - window}");
            var read = new Dictionary<string, (DateTimeOffset, IReadOnlyList<PortProbeSignal>)>(StringComparer.Ordinal);
            foreach (var entity in await TableOperations.ListAsync(table, filter, cancellationToken))
            {
                read[KeyText.Unescape(entity.RowKey)] = (
                    entity.GetDateTimeOffset("At") ?? now,
                    JsonSerializer.Deserialize<List<PortProbeSignal>>(entity.GetString("Signals") ?? "[]") ?? []);
            }

            lock (gate)
            {
                // What this worker wrote since the read started is newer than what the read returned.
                foreach (var (id, mine) in rows.Rows.Where(r => !read.TryGetValue(r.Key, out var stored) || stored.Item1 < r.Value.At))
                {
                    read[id] = mine;
                }

                var fresh = new EgressSignalRows();
                foreach (var (id, (at, signals)) in read)
                {
                    fresh.Set(id, at, signals);
                }

                rows = fresh;
                readAt = now;
            }
        }
        finally
        {
            refreshing.Release();
        }
    }
}
