using System.Text.Json;
using Azure;
using Azure.Data.Tables;
using MailHealth.Changes;
using MailHealth.Runs;
using MailHealth.Storage.Configuration;
using MailHealth.Storage.Keys;
using MailHealth.Storage.Limits;
using MailHealth.Storage.Payloads;
using MailHealth.Storage.Tables;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Logging.Abstractions;

namespace MailHealth.Storage.Changes;

/// <summary>
/// The fingerprints drift detection compares, table <c>{prefix}fingerprints</c>: one row per
/// target (PartitionKey = escaped target id, RowKey <c>fp</c>) holding the latest run's fingerprint
/// and the one before it. <see cref="GetPreviousAsync"/> answers "the fingerprint of the run
/// before this one" even when this run is a retry that already saved its own, so a retried run
/// finds the same changes again (and rewrites the same change events) instead of finding none.
/// </summary>
public sealed class FingerprintStore(StorageAccount account, ILogger<FingerprintStore>? logger = null)
{
    private const string Row = "fp";
    private const int Attempts = 5;
    private readonly TableClient table = account.Table(StorageTables.Fingerprints);
    private readonly ILogger logger = logger ?? NullLogger<FingerprintStore>.Instance;

    /// <summary>The fingerprint of the newest run before <paramref name="runId"/>; null when there is none.</summary>
    public async Task<StoredFingerprint?> GetPreviousAsync(RunId runId, CancellationToken cancellationToken = default)
    {
        var entity = await TableOperations.GetAsync(table, Partition(runId.TargetId), Row, cancellationToken);
        if (entity is null)
        {
            return null;
        }

        var current = Read(entity, "C");
        var previous = Read(entity, "P");
        return current is not null && current.Slot < runId.Slot ? current
            : previous is not null && previous.Slot < runId.Slot ? previous
            : null;
    }

    /// <summary>The newest stored fingerprint of a target.</summary>
    public async Task<StoredFingerprint?> GetLatestAsync(string targetId, CancellationToken cancellationToken = default)
    {
        var entity = await TableOperations.GetAsync(table, Partition(targetId), Row, cancellationToken);
        return entity is null ? null : Read(entity, "C");
    }

    /// <summary>Saves the fingerprint of <paramref name="runId"/>; an older run than the newest stored one changes nothing.</summary>
    public async Task SaveAsync(RunId runId, RunFingerprint fingerprint, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(fingerprint);
        var partition = Partition(runId.TargetId);
        for (var attempt = 1; ; attempt++)
        {
            var existing = await TableOperations.GetAsync(table, partition, Row, cancellationToken);
            var current = existing is null ? null : Read(existing, "C");
            var previous = existing is null ? null : Read(existing, "P");
            if (current is not null && current.Slot > runId.Slot)
            {
                return;
            }

            // A retry of the newest run replaces it and keeps the one before; a new run pushes the newest down.
            var keep = current is not null && current.Slot == runId.Slot ? previous : current;
            var entity = new TableEntity(partition, Row);
            Write(entity, "C", new StoredFingerprint(runId.ToString(), runId.Slot, fingerprint));
            if (keep is not null)
            {
                Write(entity, "P", keep);
            }

            var action = existing is null
                ? new TableTransactionAction(TableTransactionActionType.Add, entity)
                : new TableTransactionAction(TableTransactionActionType.UpdateReplace, entity, existing.ETag);
            try
            {
                await TableOperations.SubmitAsync(table, [action], cancellationToken);
                return;
            }
            catch (StorageConcurrencyException) when (attempt < Attempts)
            {
                StorageLog.FingerprintRetry(logger, runId.ToString(), attempt);
            }
        }
    }

    private static string Partition(string targetId) => KeyText.Checked(KeyText.Escape(targetId), "target id");

    private static void Write(TableEntity entity, string prefix, StoredFingerprint stored)
    {
        entity[prefix + "RunId"] = stored.RunId;
        entity[prefix + "Slot"] = stored.Slot;
        var bytes = Gzip.CompressJson(stored.Fingerprint.Items);

        // Both fingerprints share the entity: each may use at most half of it.
        var written = new TableEntity();
        ChunkedPayload.Spread(written, "F", bytes, prefix, _ => throw new TableLimitException(
            $"fingerprint of {stored.RunId}: {bytes.Length} bytes compressed, more than one entity holds"), 7);
        foreach (var (name, value) in written)
        {
            entity[prefix + name] = value;
        }
    }

    private static StoredFingerprint? Read(TableEntity entity, string prefix)
    {
        if (entity.GetString(prefix + "RunId") is not { } runId)
        {
            return null;
        }

        var part = new TableEntity(entity.PartitionKey, entity.RowKey);
        foreach (var (name, value) in entity.Where(p => p.Key.StartsWith(prefix + "F", StringComparison.Ordinal) || p.Key == prefix + "WriteId"))
        {
            part[name[prefix.Length..]] = value;
        }

        var items = Gzip.DecompressJson<Dictionary<string, string>>(ChunkedPayload.Gather(part, "F", []))
            ?? throw new StoredDataException($"fingerprint ({entity.PartitionKey}): empty");
        return new StoredFingerprint(runId, entity.GetDateTimeOffset(prefix + "Slot") ?? default, new RunFingerprint(items));
    }
}
