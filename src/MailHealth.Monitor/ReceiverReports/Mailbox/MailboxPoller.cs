using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using MailHealth.ReceiverReports;
using MailHealth.Storage.Availability;
using MailHealth.Storage.ReceiverReports;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Search;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MailHealth.Monitor.ReceiverReports.Mailbox;

/// <summary>
/// The mailbox door (docs/reports.md, "The mailbox"): one poll reads the folder's new messages by
/// UID, oldest first and at most <see cref="MailboxSettings.MaxMessagesPerPoll"/>, hands each to
/// <see cref="ReportIngestion.IngestAsync"/> as <c>reports import</c> does, and only once its
/// reports are committed moves it to the Processed folder (any report stored or a duplicate) or
/// the Invalid one (no report in it: a bounce, a reply; or larger than the cap, refused on its
/// RFC822.SIZE before a byte of it is fetched). The cursor (UIDVALIDITY, last UID moved) is kept
/// in <see cref="MailboxCursorStore"/>: a new UIDVALIDITY means the UIDs name other messages now
/// (RFC 9051 section 2.3.1.1), so the folder is read again from the start, which counts nothing
/// twice (the same bytes are the same input, its reports duplicates). A crash between the commit
/// and the move leaves the message where it was, and the next poll reads it again, a duplicate.
/// One poll at a time, by a claim in storage.
/// </summary>
public sealed partial class MailboxPoller(
    IOptions<MailboxSettings> options,
    MailboxConnector connector,
    MailboxCursorStore cursors,
    ReportIngestion ingestion,
    ReportStorageCalls storage,
    TimeProvider time,
    ILogger<MailboxPoller> logger)
{
    /// <summary>How long a poll's claim holds when it is not given up (a process that died): longer than a poll of the cap's messages should take.</summary>
    public static readonly TimeSpan ClaimFor = TimeSpan.FromMinutes(15);

    private readonly string _owner = Guid.NewGuid().ToString("N");

    /// <summary>Test hook: runs at the named point ("move": after a message's reports are committed, before it is moved); throwing there is a crash.</summary>
    internal Func<string, CancellationToken, Task>? Fault { get; set; }

    /// <summary>The cursor of the configured folder as stored (zeros before the first poll).</summary>
    public Task<MailboxCursor> CursorAsync(CancellationToken cancellationToken) =>
        storage.RunAsync(ct => cursors.GetAsync(MailboxName(options.Value), ct), cancellationToken);

    /// <summary>One poll of the mailbox; what it did.</summary>
    public async Task<MailboxPoll> PollAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        if (!settings.Enabled)
        {
            return MailboxPoll.Off;
        }

        var mailbox = MailboxName(settings);
        var now = time.GetUtcNow();
        var cursor = await storage.RunAsync(ct => cursors.TryClaimAsync(mailbox, _owner, now, now + ClaimFor, ct), cancellationToken).ConfigureAwait(false);
        if (cursor is null)
        {
            LogBusy(logger, mailbox);
            return MailboxPoll.Busy;
        }

        try
        {
            var poll = await ReadAsync(settings, cursor, cancellationToken).ConfigureAwait(false);
            LogPolled(logger, mailbox, poll.Processed, poll.Duplicates, poll.Invalid, poll.Remaining, poll.Reread);
            return poll;
        }
        finally
        {
            await ReleaseAsync(mailbox).ConfigureAwait(false);
        }
    }

    /// <summary>
    /// Gives the claim up, even when the poll was cancelled or failed, so that the next one need
    /// not wait for it to expire; when storage fails here too, the claim expires by itself and the
    /// poll's own failure is what is reported.
    /// </summary>
    private async Task ReleaseAsync(string mailbox)
    {
        try
        {
            await storage.RunAsync(ct => cursors.ReleaseAsync(mailbox, _owner, time.GetUtcNow(), ct), CancellationToken.None).ConfigureAwait(false);
        }
        catch (StorageUnavailableException)
        {
            LogClaimKept(logger, mailbox, ClaimFor);
        }
    }

    private async Task<MailboxPoll> ReadAsync(MailboxSettings settings, MailboxCursor cursor, CancellationToken cancellationToken)
    {
        using var client = await connector.ConnectAsync(cancellationToken).ConfigureAwait(false);
        var folder = await client.GetFolderAsync(settings.Folder, cancellationToken).ConfigureAwait(false);
        var processedFolder = await FolderAsync(client, settings.ProcessedFolder, cancellationToken).ConfigureAwait(false);
        var invalidFolder = await FolderAsync(client, settings.InvalidFolder, cancellationToken).ConfigureAwait(false);
        await folder.OpenAsync(FolderAccess.ReadWrite, cancellationToken).ConfigureAwait(false);

        var reread = cursor.UidValidity != 0 && cursor.UidValidity != folder.UidValidity;
        if (cursor.UidValidity != folder.UidValidity)
        {
            cursor = cursor with { UidValidity = folder.UidValidity, LastUid = 0 };
            var changed = cursor;
            await storage.RunAsync(ct => cursors.SaveAsync(changed, time.GetUtcNow(), ct), cancellationToken).ConfigureAwait(false);
        }

        // "n:*" always holds the folder's last message, even below n (RFC 9051 section 6.4.4.1): kept only when above the cursor.
        var range = new UniqueIdRange(new UniqueId((uint)cursor.LastUid + 1), UniqueId.MaxValue);
        var found = await folder.SearchAsync(SearchQuery.Uids(range), cancellationToken).ConfigureAwait(false);
        var fresh = found.Where(u => u.Id > cursor.LastUid).OrderBy(u => u.Id).ToList();
        var batch = fresh.Take(settings.MaxMessagesPerPoll).ToList();
        var sizes = batch.Count == 0
            ? []
            : (await folder.FetchAsync(batch, MessageSummaryItems.UniqueId | MessageSummaryItems.Size, cancellationToken).ConfigureAwait(false))
                .ToDictionary(s => s.UniqueId, s => (long?)s.Size);

        int processed = 0, invalid = 0, duplicates = 0;
        ImapClient? witness = null;
        try
        {
            foreach (var uid in batch)
            {
                var record = await IngestAsync(folder, uid, sizes.GetValueOrDefault(uid), settings, cursor.UidValidity, cancellationToken).ConfigureAwait(false);
                var holdsReports = record.Reports.Any(o => o.Status is ReportOutcomeStatus.Stored or ReportOutcomeStatus.Duplicate);
                if (Fault is { } fault)
                {
                    await fault("move", cancellationToken).ConfigureAwait(false);
                }

                // The folder made anew under the poll: its UIDs name other messages now, and moving by
                // this one could move a message never read. The session that reads the folder may not
                // hear of it (Dovecot's Maildir session goes on with its old view and announces no new
                // UIDVALIDITY), so a second session asks for the folder's UIDVALIDITY as it is now
                // (STATUS, RFC 9051 section 6.3.11) before each move. The next poll reads the new folder whole.
                witness ??= await connector.ConnectAsync(cancellationToken).ConfigureAwait(false);
                var now = await UidValidityNowAsync(witness, settings.Folder, cancellationToken).ConfigureAwait(false);
                if (folder.UidValidity != cursor.UidValidity || now != cursor.UidValidity)
                {
                    throw new MailboxChangedException(settings.Folder, cursor.UidValidity, now);
                }

                // MailKit sends UID MOVE (RFC 6851) when offered, else COPY, STORE \Deleted and UID EXPUNGE (RFC 4315).
                await folder.MoveToAsync(uid, holdsReports ? processedFolder : invalidFolder, cancellationToken).ConfigureAwait(false);
                _ = holdsReports ? processed++ : invalid++;
                duplicates += holdsReports && record.Reports.All(o => o.Status != ReportOutcomeStatus.Stored) ? 1 : 0;
                cursor = cursor with { LastUid = uid.Id };
                var moved = cursor;
                await storage.RunAsync(ct => cursors.SaveAsync(moved, time.GetUtcNow(), ct), cancellationToken).ConfigureAwait(false);
            }

            if (witness is not null)
            {
                await witness.DisconnectAsync(quit: true, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            witness?.Dispose();
        }

        await client.DisconnectAsync(quit: true, cancellationToken).ConfigureAwait(false);
        return new MailboxPoll(MailboxPollState.Read, processed, invalid, fresh.Count - batch.Count, reread) { Duplicates = duplicates };
    }

    /// <summary>The message's record: ingested, or refused on its size (the server's RFC822.SIZE, or the bytes it sent past the cap) without holding more than the cap.</summary>
    private async Task<ReportInputRecord> IngestAsync(
        IMailFolder folder, UniqueId uid, long? size, MailboxSettings settings, long uidValidity, CancellationToken cancellationToken)
    {
        var cap = ingestion.MaxInputBytes;
        if (size > cap)
        {
            return await RefuseAsync(settings, uidValidity, uid, size.Value, cap, cancellationToken).ConfigureAwait(false);
        }

        // A partial fetch of one byte past the cap: a server whose SIZE was wrong still sends no more.
        using var stream = await folder.GetStreamAsync(uid, 0, (int)Math.Min(cap + 1, int.MaxValue), cancellationToken).ConfigureAwait(false);
        using var buffer = new MemoryStream();
        await stream.CopyToAsync(buffer, cancellationToken).ConfigureAwait(false);
        if (buffer.Length > cap)
        {
            return await RefuseAsync(settings, uidValidity, uid, buffer.Length, cap, cancellationToken).ConfigureAwait(false);
        }

        return await ingestion.IngestAsync(buffer.GetBuffer().AsMemory(0, (int)buffer.Length), ReportDoors.Mailbox, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>The UIDVALIDITY of <paramref name="name"/> as <paramref name="session"/> (one that has not selected it) sees it now; 0 when the folder is gone.</summary>
    private static async Task<long> UidValidityNowAsync(ImapClient session, string name, CancellationToken cancellationToken)
    {
        try
        {
            var folder = await session.GetFolderAsync(name, cancellationToken).ConfigureAwait(false);
            await folder.StatusAsync(StatusItems.UidValidity, cancellationToken).ConfigureAwait(false);
            return folder.UidValidity;
        }
        catch (FolderNotFoundException)
        {
            return 0;
        }
    }

    /// <summary>The refusal, recorded under an id made from where the message was (its bytes were never read).</summary>
    private Task<ReportInputRecord> RefuseAsync(MailboxSettings settings, long uidValidity, UniqueId uid, long size, long cap, CancellationToken cancellationToken)
    {
        var where = string.Create(CultureInfo.InvariantCulture, $"{MailboxName(settings)}|{uidValidity}|{uid.Id}");
        var input = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(where)));
        var reason = string.Create(CultureInfo.InvariantCulture, $"message of {size:N0} bytes (UID {uid.Id} in {settings.Folder}) ")
            + ReceiverReportSettings.Refusal(nameof(ReceiverReportSettings.MaxMessageBytes), cap, "bytes");
        return ingestion.RefuseAsync(input, size, ReportDoors.Mailbox, reason, cancellationToken);
    }

    /// <summary>The folder <paramref name="name"/>, made in the personal namespace when missing.</summary>
    private static async Task<IMailFolder> FolderAsync(ImapClient client, string name, CancellationToken cancellationToken)
    {
        try
        {
            return await client.GetFolderAsync(name, cancellationToken).ConfigureAwait(false);
        }
        catch (FolderNotFoundException)
        {
            var root = client.GetFolder(client.PersonalNamespaces[0]);
            return await root.CreateAsync(name, isMessageFolder: true, cancellationToken).ConfigureAwait(false)
                ?? throw new FolderNotFoundException(name);
        }
    }

    /// <summary>The cursor's name for the configured folder: the same folder of the same account, whichever host polls it.</summary>
    private static string MailboxName(MailboxSettings settings) =>
        string.Create(CultureInfo.InvariantCulture, $"{settings.Host!.ToLowerInvariant()}|{settings.User}|{settings.Folder}");

    [LoggerMessage(EventId = 2710, Level = LogLevel.Information, Message = "Mailbox {Mailbox} polled: {Processed} message(s) to Processed ({Duplicates} duplicate), {Invalid} to Invalid, {Remaining} left for the next poll, folder re-read: {Reread}")]
    private static partial void LogPolled(ILogger logger, string mailbox, int processed, int duplicates, int invalid, int remaining, bool reread);

    [LoggerMessage(EventId = 2712, Level = LogLevel.Warning, Message = "Mailbox {Mailbox}: the poll's claim could not be given up (storage failed); it expires within {ClaimFor}")]
    private static partial void LogClaimKept(ILogger logger, string mailbox, TimeSpan claimFor);

    [LoggerMessage(EventId = 2711, Level = LogLevel.Information, Message = "Mailbox {Mailbox} not polled: another poll holds it")]
    private static partial void LogBusy(ILogger logger, string mailbox);
}

/// <summary>The server gave the folder a new UIDVALIDITY during a poll: the poll stops before it moves anything by a UID of the old folder.</summary>
public sealed class MailboxChangedException(string folder, long before, long now)
    : Exception($"the folder {folder} was made anew during the poll (UIDVALIDITY {before}, now {now}); the next poll reads it again from its start");

/// <summary>What a poll did.</summary>
public enum MailboxPollState
{
    /// <summary>No mailbox is configured.</summary>
    Off,

    /// <summary>Another poll holds the mailbox.</summary>
    Busy,

    /// <summary>The folder was read.</summary>
    Read,
}

/// <summary>One poll: messages moved to Processed and to Invalid, new messages left for the next poll, whether the folder was read again from its start (UIDVALIDITY changed).</summary>
public sealed record MailboxPoll(MailboxPollState State, int Processed, int Invalid, int Remaining, bool Reread)
{
    /// <summary>Of <see cref="Processed"/>, the messages that added nothing: every report in them was stored before (read again, or re-delivered).</summary>
    public int Duplicates { get; init; }

    public static MailboxPoll Off { get; } = new(MailboxPollState.Off, 0, 0, 0, false);

    public static MailboxPoll Busy { get; } = new(MailboxPollState.Busy, 0, 0, 0, false);
}
