using System.Text.Json;
using System.Text.RegularExpressions;
using Azure;
using Azure.Data.Tables;
using MailHealth.Notifications;
using MailHealth.Reports;
using MailHealth.Storage.Configuration;
using MailHealth.Storage.Keys;
using MailHealth.Storage.Paging;
using MailHealth.Storage.Payloads;
using MailHealth.Storage.Tables;

namespace MailHealth.Storage.Notifications;

/// <summary>
/// The notification outbox, table <c>{prefix}outbox</c>: PartitionKey = escaped notification id
/// (deterministic, so enqueuing the same notification twice finds the first), RowKey <c>n</c>. The
/// delivery worker reads an entry by the id its queue message carries, and records each outcome
/// with a conditional update. Listing by state is a filtered scan of this small table (delivered
/// entries leave it with the retention purge).
/// </summary>
public sealed partial class OutboxStore(StorageAccount account)
{
    private const int MaxErrorLength = 2000;
    private const string Row = "n";
    private readonly TableClient table = account.Table(StorageTables.Outbox);

    /// <summary>Adds a pending notification due at <paramref name="now"/>; when it is already there, returns the stored entry unchanged (idempotent).</summary>
    public async Task<(OutboxEntry Entry, bool Added)> AddAsync(Notification notification, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(notification);
        var entry = new OutboxEntry { Notification = notification, State = OutboxState.Pending, CreatedAt = now, NextAttemptAt = now };
        try
        {
            await TableOperations.SubmitAsync(table, [new TableTransactionAction(TableTransactionActionType.Add, ToEntity(entry))], cancellationToken);
            return ((await GetAsync(notification.Id, cancellationToken))!, true);
        }
        catch (StorageConcurrencyException)
        {
            return ((await GetAsync(notification.Id, cancellationToken))!, false);
        }
    }

    public async Task<OutboxEntry?> GetAsync(string notificationId, CancellationToken cancellationToken = default)
    {
        var entity = await TableOperations.GetAsync(table, Partition(notificationId), Row, cancellationToken);
        return entity is null ? null : FromEntity(entity);
    }

    /// <summary>Writes <paramref name="entry"/> if nobody changed it since it was read (its ETag); <see cref="StorageConcurrencyException"/> otherwise. Returns it with its new ETag.</summary>
    public async Task<OutboxEntry> UpdateAsync(OutboxEntry entry, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(entry);
        var entity = ToEntity(entry);
        await TableOperations.SubmitAsync(table, [new TableTransactionAction(TableTransactionActionType.UpdateReplace, entity, new ETag(entry.ETag))], cancellationToken);
        return (await GetAsync(entry.Notification.Id, cancellationToken))!;
    }

    /// <summary>Records a delivery.</summary>
    public Task<OutboxEntry> MarkDeliveredAsync(OutboxEntry entry, DateTimeOffset at, CancellationToken cancellationToken = default) =>
        UpdateAsync(entry with { State = OutboxState.Delivered, Attempts = entry.Attempts + 1, DeliveredAt = at, NextAttemptAt = null }, cancellationToken);

    /// <summary>Records a failed attempt: pending again at <paramref name="nextAttemptAt"/>, or failed for good when it is null.</summary>
    public Task<OutboxEntry> MarkFailedAttemptAsync(OutboxEntry entry, string error, DateTimeOffset? nextAttemptAt, CancellationToken cancellationToken = default) =>
        UpdateAsync(
            entry with
            {
                State = nextAttemptAt is null ? OutboxState.Failed : OutboxState.Pending,
                Attempts = entry.Attempts + 1,
                LastError = error,
                NextAttemptAt = nextAttemptAt,
            },
            cancellationToken);

    /// <summary>Entries in one state (a scan of the outbox, filtered by the service).</summary>
    public async Task<StoredPage<OutboxEntry>> ListAsync(OutboxState state, int pageSize = 100, string? continuationToken = null, CancellationToken cancellationToken = default)
    {
        var filter = TableClient.CreateQueryFilter($"State eq {state.ToString()}");
        var page = await TableOperations.PageAsync(table, filter, pageSize, continuationToken, null, cancellationToken);
        return new StoredPage<OutboxEntry>([.. page.Items.Select(FromEntity)], page.ContinuationToken);
    }

    /// <summary>Pending entries due by <paramref name="now"/>: what a sweep re-enqueues when a queue message was lost.</summary>
    public async Task<IReadOnlyList<OutboxEntry>> ListDueAsync(DateTimeOffset now, int max = 100, CancellationToken cancellationToken = default)
    {
        var filter = TableClient.CreateQueryFilter($"State eq {OutboxState.Pending.ToString()} and NextAttemptAt le {now}");
        var due = new List<OutboxEntry>();
        await foreach (var entity in TableOperations.QueryAllAsync(table, filter, null, cancellationToken))
        {
            due.Add(FromEntity(entity));
            if (due.Count >= max)
            {
                break;
            }
        }

        return due;
    }

    /// <summary>Deletes delivered and failed entries created before <paramref name="before"/>.</summary>
    public Task<int> PurgeAsync(DateTimeOffset before, CancellationToken cancellationToken = default) =>
        TableOperations.DeleteWhereAsync(
            table,
            TableClient.CreateQueryFilter($"State ne {OutboxState.Pending.ToString()} and CreatedAt lt {before}"),
            cancellationToken);

    /// <summary>
    /// Error text for the table: URLs (a Slack or Teams webhook URL is itself the secret) become
    /// scheme://host/…, and the text is bounded.
    /// </summary>
    public static string RedactError(string error)
    {
        ArgumentNullException.ThrowIfNull(error);
        var redacted = UrlPattern().Replace(error, m => $"{m.Groups["scheme"].Value}://{m.Groups["host"].Value}/…");
        return redacted.Length <= MaxErrorLength ? redacted : redacted[..MaxErrorLength] + "…";
    }

    [GeneratedRegex(@"(?<scheme>[A-Za-z][A-Za-z0-9+.-]*)://(?:[^/\s@]*@)?(?<host>[^/\s:?#]+)(?::\d+)?[^\s""'<>]*")]
    private static partial Regex UrlPattern();

    private static string Partition(string notificationId) => KeyText.Checked(KeyText.Escape(notificationId), "notification id");

    private static TableEntity ToEntity(OutboxEntry entry) => new TableEntity(Partition(entry.Notification.Id), Row)
    {
        ["NotificationId"] = entry.Notification.Id,
        ["Channel"] = entry.Notification.Channel,
        ["TargetId"] = entry.Notification.TargetId,
        ["Kind"] = entry.Notification.Kind.ToString(),
        ["Json"] = JsonSerializer.Serialize(entry.Notification, ReportJson.Options),
        ["State"] = entry.State.ToString(),
        ["Attempts"] = entry.Attempts,
        ["CreatedAt"] = entry.CreatedAt,
        ["NextAttemptAt"] = entry.NextAttemptAt,
        ["LastError"] = entry.LastError is null ? null : RedactError(entry.LastError),
        ["DeliveredAt"] = entry.DeliveredAt,
    }.WithoutNulls();

    private static OutboxEntry FromEntity(TableEntity e) => new()
    {
        Notification = JsonSerializer.Deserialize<Notification>(e.GetString("Json"), ReportJson.Options)
            ?? throw new StoredDataException($"outbox ({e.PartitionKey}): empty notification"),
        State = Enum.Parse<OutboxState>(e.GetString("State")),
        Attempts = e.GetInt32("Attempts") ?? 0,
        CreatedAt = e.GetDateTimeOffset("CreatedAt") ?? default,
        NextAttemptAt = e.GetDateTimeOffset("NextAttemptAt"),
        LastError = e.GetString("LastError"),
        DeliveredAt = e.GetDateTimeOffset("DeliveredAt"),
        ETag = e.ETag.ToString(),
    };
}
