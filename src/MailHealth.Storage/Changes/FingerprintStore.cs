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
    public async Task<StoredFingerprint?> GetPreviousAsync(RunId runId, CancellationToken cancellationToken = default) =>
        (await ReadAsync(runId.TargetId, cancellationToken)).Before(runId);

    /// <summary>
    /// A target's fingerprint row as it is now, in one read: what a run compares with
    /// (<see cref="FingerprintRow.Before"/>) and hands back to <see cref="SaveAsync(RunId, RunFingerprint, FingerprintRow?, CancellationToken)"/>,
    /// which then writes on its ETag instead of reading the row a second time.
    /// </summary>
    public async Task<FingerprintRow> ReadAsync(string targetId, CancellationToken cancellationToken = default) =>
        ToRow(await TableOperations.GetAsync(table, Partition(targetId), Row, cancellationToken));

    /// <summary>The newest stored fingerprint of a target.</summary>
    public async Task<StoredFingerprint?> GetLatestAsync(string targetId, CancellationToken cancellationToken = default) =>
        (await ReadAsync(targetId, cancellationToken)).Current;

    /// <summary>
    /// Saves the fingerprint of <paramref name="runId"/> over <paramref name="read"/>, the row as
    /// <see cref="ReadAsync"/> found it (read now when null): conditional on its ETag, so a row
    /// changed since is read again and the save decided anew. An older run than the newest stored
    /// one changes nothing.
    /// </summary>
    public async Task SaveAsync(RunId runId, RunFingerprint fingerprint, FingerprintRow? read = null, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(fingerprint);
        var partition = Partition(runId.TargetId);
        for (var attempt = 1; ; attempt++)
        {
            var existing = attempt == 1 && read is not null ? read : await ReadAsync(runId.TargetId, cancellationToken);
            if (existing.Current is { } newest && newest.Slot > runId.Slot)
            {
                return;
            }

            // A retry of the newest run replaces it and keeps the one before; a new run pushes the newest down.
            var keep = existing.Current is not null && existing.Current.Slot == runId.Slot ? existing.Previous : existing.Current;
            var entity = new TableEntity(partition, Row);
            Write(entity, "C", new StoredFingerprint(runId.ToString(), runId.Slot, fingerprint));
            if (keep is not null)
            {
                Write(entity, "P", keep);
            }

            var action = existing.ETag is null
                ? new TableTransactionAction(TableTransactionActionType.Add, entity)
                : new TableTransactionAction(TableTransactionActionType.UpdateReplace, entity, new ETag(existing.ETag));
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

    private static FingerprintRow ToRow(TableEntity? entity) => entity is null
        ? new FingerprintRow(null, null, null)
        : new FingerprintRow(Read(entity, "C"), Read(entity, "P"), entity.ETag.ToString());

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
