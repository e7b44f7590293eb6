using Azure;
using Azure.Data.Tables;
using MailHealth.Storage.Configuration;
using MailHealth.Storage.Keys;
using MailHealth.Storage.Tables;

namespace MailHealth.Storage.ReceiverReports;

/// <summary>
/// Where the mailbox door is in each folder it reads, table <c>{prefix}mailbox</c>: partition
/// <c>cursor</c>, row = the escaped <c>host|user|folder</c>, holding the folder's UIDVALIDITY and
/// the highest UID whose message was read and moved away (RFC 9051 section 2.3.1.1: a UID means
/// the same message only while UIDVALIDITY stays), and the poll's claim: one poll at a time,
/// whichever process or Functions instance starts it, by ETag.
/// </summary>
public sealed class MailboxCursorStore(StorageAccount account)
{
    private const string Partition = "cursor";
    private readonly TableClient table = account.Table(StorageTables.Mailbox);

    /// <summary>
    /// Claims the poll of <paramref name="mailbox"/> until <paramref name="until"/> for
    /// <paramref name="owner"/>: its cursor, or null when another poll holds an unexpired claim.
    /// </summary>
    public async Task<MailboxCursor?> TryClaimAsync(string mailbox, string owner, DateTimeOffset now, DateTimeOffset until, CancellationToken cancellationToken = default)
    {
        var row = KeyText.Escape(mailbox);
        while (true)
        {
            var entity = await TableOperations.GetAsync(table, Partition, row, cancellationToken);
            if (entity?.GetDateTimeOffset("ClaimedUntil") is { } claimed && claimed > now && entity.GetString("ClaimedBy") != owner)
            {
                return null;
            }

            var cursor = new MailboxCursor(mailbox, entity?.GetInt64("UidValidity") ?? 0, entity?.GetInt64("LastUid") ?? 0);
            var claim = new TableEntity(Partition, row) { ["ClaimedBy"] = owner, ["ClaimedUntil"] = until };
            try
            {
                if (entity is null)
                {
                    await table.AddEntityAsync(claim, cancellationToken);
                }
                else
                {
                    await table.UpdateEntityAsync(claim, entity.ETag, TableUpdateMode.Merge, cancellationToken);
                }

                return cursor;
            }
            catch (RequestFailedException e) when (e.Status is 409 or 412)
            {
                // Another poll claimed it between our read and our write: read it again.
            }
        }
    }

    /// <summary>Records that the folder is read up to <paramref name="cursor"/> (the caller holds the claim).</summary>
    public Task SaveAsync(MailboxCursor cursor, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(cursor);
        var entity = new TableEntity(Partition, KeyText.Escape(cursor.Mailbox))
        {
            ["UidValidity"] = cursor.UidValidity,
            ["LastUid"] = cursor.LastUid,
            ["SavedAt"] = now,
        };
        return table.UpsertEntityAsync(entity, TableUpdateMode.Merge, cancellationToken);
    }

    /// <summary>Gives the claim up, so that the next poll need not wait for it to expire.</summary>
    public Task ReleaseAsync(string mailbox, string owner, DateTimeOffset now, CancellationToken cancellationToken = default)
    {
        var entity = new TableEntity(Partition, KeyText.Escape(mailbox)) { ["ClaimedBy"] = owner, ["ClaimedUntil"] = now };
        return table.UpsertEntityAsync(entity, TableUpdateMode.Merge, cancellationToken);
    }

    /// <summary>The cursor of <paramref name="mailbox"/>; zeros when it was never read.</summary>
    public async Task<MailboxCursor> GetAsync(string mailbox, CancellationToken cancellationToken = default)
    {
        var entity = await TableOperations.GetAsync(table, Partition, KeyText.Escape(mailbox), cancellationToken);
        return new MailboxCursor(mailbox, entity?.GetInt64("UidValidity") ?? 0, entity?.GetInt64("LastUid") ?? 0);
    }
}

/// <summary>A folder read up to <see cref="LastUid"/> while its UIDVALIDITY was <see cref="UidValidity"/> (0: never read).</summary>
public sealed record MailboxCursor(string Mailbox, long UidValidity, long LastUid);
