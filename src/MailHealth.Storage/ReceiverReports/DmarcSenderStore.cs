using Azure;
using Azure.Data.Tables;
using MailHealth.Storage.Configuration;
using MailHealth.Storage.Keys;
using MailHealth.Storage.Limits;
using MailHealth.Storage.Payloads;
using MailHealth.Storage.Tables;

namespace MailHealth.Storage.ReceiverReports;

/// <summary>
/// The names of the source addresses of each domain's aggregate reports, table
/// <c>{prefix}dmarcsenders</c> (docs/storage.md, "Receivers' reports"): partition the policy domain
/// (escaped), the names spread by a stable hash of the address over 64 bucket rows
/// (<see cref="SenderBuckets"/>), each holding its names packed (<see cref="PackedSenders"/>). One
/// row per address made the names of a 20,000-source report 200 transactions, and a store that
/// finds each entity written by scanning its partition (Azurite) slower with every row; packed
/// they are one transaction of 64 rows.
/// Each bucket is written conditionally on the ETag read (or added when it had no row), so two
/// processes naming one domain at once never lose each other's names: the loser reads again,
/// merges (<see cref="SenderBucket.Merge"/>) and writes again. Rows of the layout before buckets
/// (row key the escaped address, from the last release) are still read; a bucket's name wins over
/// such a row of the same address, and the row is deleted in the same transaction as the bucket
/// write that takes its address over (at most <see cref="MaxLegacyDeletesPerWrite"/> a write;
/// the rest go with a later write of their address or with retention, and until then they are
/// shadowed, so leaving them is harmless).
/// </summary>
public sealed class DmarcSenderStore(StorageAccount account)
{
    /// <summary>Names one bucket holds (<see cref="PackedSenders.MaxNamesPerBucket"/>): a name new to a full bucket is refused, and its address stays unnamed.</summary>
    public const int MaxNamesPerBucket = PackedSenders.MaxNamesPerBucket;

    /// <summary>Names a domain holds at most, if the hash spread them evenly (the first bucket fills at about 120,000).</summary>
    public const int MaxNamesPerDomain = MaxNamesPerBucket * SenderBuckets.Count;

    /// <summary>Tries of a write that meets other writers: each loses only to a write that succeeded, so five are plenty.</summary>
    private const int Attempts = 5;

    /// <summary>Rows of the old layout deleted by one write: a domain moving over from 20,000 of them does so in about 40 writes, none longer than a few transactions.</summary>
    private const int MaxLegacyDeletesPerWrite = 500;

    private readonly TableClient table = account.Table(StorageTables.DmarcSenders);

    /// <summary>The row key of the bucket that holds <paramref name="ip"/>'s name.</summary>
    public static string BucketRowKey(string ip) => SenderBuckets.RowKey(SenderBuckets.Of(ip));

    /// <summary>Every named address of <paramref name="domain"/>: one partition read.</summary>
    public async Task<IReadOnlyList<StoredSender>> ListAsync(string domain, CancellationToken cancellationToken = default) =>
        [.. (await ReadAsync(domain, cancellationToken)).Senders];

    /// <summary>The names of <paramref name="domain"/> and what a write of them needs: one partition read (a page per 1,000 rows).</summary>
    public async Task<DmarcSenderNames> ReadAsync(string domain, CancellationToken cancellationToken = default)
    {
        var filter = TableClient.CreateQueryFilter($"PartitionKey eq {ReportKeys.Domain(domain)}");
        for (var attempt = 1; ; attempt++)
        {
            var rows = await TableOperations.ListAsync(table, filter, cancellationToken);
            try
            {
                return Parse(domain, rows);
            }
            catch (StoredDataException) when (attempt < Attempts)
            {
                // A bucket with overflow rows rewritten between two pages of the read: read again.
            }
        }
    }

    /// <summary>
    /// Writes <paramref name="senders"/> over the names read in <paramref name="names"/>, each
    /// bucket they touch once (a few transactions of up to 100 rows): each name merged with the
    /// stored one (<see cref="SenderBucket.Merge"/>). Those that cannot be kept (their bucket is
    /// full, or their texts too long to fit) are returned, not written.
    /// </summary>
    public async Task<DmarcSenderWrite> WriteAsync(DmarcSenderNames names, IEnumerable<StoredSender> senders, CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(names);
        ArgumentNullException.ThrowIfNull(senders);
        var incoming = new Dictionary<string, StoredSender>(StringComparer.Ordinal);
        foreach (var sender in senders)
        {
            incoming[sender.Ip] = SenderBucket.Merge(incoming.GetValueOrDefault(sender.Ip), sender);
        }

        var byBucket = incoming.Values.GroupBy(s => SenderBuckets.Of(s.Ip)).ToDictionary(g => g.Key, g => g.ToList());
        var partition = ReportKeys.Domain(names.Domain);
        var refused = new Dictionary<int, IReadOnlyList<string>>();
        var transactions = 0;
        for (var attempt = 1; ; attempt++)
        {
            var legacyDeletes = MaxLegacyDeletesPerWrite;
            var units = new List<IReadOnlyList<TableTransactionAction>>();
            foreach (var (bucket, ofBucket) in byBucket)
            {
                var (actions, refusedOfBucket) = Plan(partition, names, names.Buckets[bucket], ofBucket, ref legacyDeletes);
                refused[bucket] = refusedOfBucket;
                if (actions.Count > 0)
                {
                    units.Add(actions);
                }
            }

            if (units.Count == 0)
            {
                break;
            }

            try
            {
                transactions += await TableOperations.SubmitAsync(table, units, cancellationToken);
                break;
            }
            catch (Exception e) when (IsConflict(e) && attempt < Attempts)
            {
                // Another writer changed a bucket (or removed an old row) since the read: read again
                // and merge. Buckets written before the conflict merge to no change and are not written again.
                names = await ReadAsync(names.Domain, cancellationToken);
            }
        }

        return new DmarcSenderWrite(transactions, [.. refused.Values.SelectMany(r => r)]);
    }

    /// <summary>Reads <paramref name="domain"/>'s names and writes <paramref name="senders"/> over them (<see cref="WriteAsync(DmarcSenderNames, IEnumerable{StoredSender}, CancellationToken)"/>).</summary>
    public async Task<DmarcSenderWrite> WriteAsync(string domain, IEnumerable<StoredSender> senders, CancellationToken cancellationToken = default) =>
        await WriteAsync(await ReadAsync(domain, cancellationToken), senders, cancellationToken);

    /// <summary>
    /// Removes the names of <paramref name="domain"/>'s sources last seen before <paramref name="before"/>
    /// (retention): out of their buckets (by ETag; a bucket left empty is deleted), and the old
    /// layout's rows of them, with the old rows a bucket's name shadows. Returns how many
    /// addresses are no longer named.
    /// </summary>
    public async Task<int> PurgeAsync(string domain, DateOnly before, CancellationToken cancellationToken = default)
    {
        var partition = ReportKeys.Domain(domain);
        for (var attempt = 1; ; attempt++)
        {
            var names = await ReadAsync(domain, cancellationToken);
            var removed = 0;
            var units = new List<IReadOnlyList<TableTransactionAction>>();
            foreach (var bucket in names.Buckets.Where(b => b.ETag is not null))
            {
                var kept = bucket.Names.Values.Where(s => s.LastSeen >= before).ToList();
                if (kept.Count == bucket.Names.Count)
                {
                    continue;
                }

                removed += bucket.Names.Count - kept.Count;
                if (kept.Count == 0)
                {
                    units.Add([
                        new TableTransactionAction(TableTransactionActionType.Delete, new TableEntity(partition, SenderBuckets.RowKey(bucket.Index)), bucket.ETag!.Value),
                        .. bucket.OverflowRowKeys.Select(k => Delete(partition, k))]);
                    continue;
                }

                var (main, overflow) = PackedSenders.Rows(partition, bucket.Index, kept)
                    ?? throw new StoredDataException($"({partition}, {SenderBuckets.RowKey(bucket.Index)}): fewer names than were stored do not fit");
                units.Add(Replace(partition, bucket, main, overflow));
            }

            foreach (var (ip, row) in names.Legacy)
            {
                var shadowed = names.Buckets[SenderBuckets.Of(ip)].Names.ContainsKey(ip);
                if (shadowed || row.Sender.LastSeen < before)
                {
                    removed += shadowed ? 0 : 1;
                    units.Add([Delete(partition, row.RowKey)]);
                }
            }

            try
            {
                await TableOperations.SubmitAsync(table, units, cancellationToken);
                return removed;
            }
            catch (Exception e) when (IsConflict(e) && attempt < Attempts)
            {
                // A naming changed a bucket meanwhile: read again.
            }
        }
    }

    /// <summary>
    /// The actions that write <paramref name="incoming"/> into <paramref name="bucket"/> (none when
    /// nothing would change), and the addresses refused: new ones past the bucket's room, then, if
    /// the rows would still not fit, the last of the rest. Names already in the bucket come first.
    /// </summary>
    private static (IReadOnlyList<TableTransactionAction> Actions, IReadOnlyList<string> Refused) Plan(
        string partition, DmarcSenderNames names, SenderBucket bucket, IReadOnlyList<StoredSender> incoming, ref int legacyDeletes)
    {
        var adding = incoming.Where(s => !bucket.Names.ContainsKey(s.Ip)).ToList();
        var room = Math.Max(0, MaxNamesPerBucket - bucket.Names.Count);
        List<StoredSender> candidates = [.. incoming.Where(s => bucket.Names.ContainsKey(s.Ip)), .. adding.Take(room)];
        var refused = adding.Skip(room).Select(s => s.Ip).ToList();

        var merged = Merged(names, bucket, candidates);
        var changed = candidates.Any(c => merged[c.Ip] != bucket.Names.GetValueOrDefault(c.Ip));
        var rows = changed ? PackedSenders.Rows(partition, bucket.Index, merged.Values) : null;
        var kept = candidates.Count;
        if (changed && rows is null)
        {
            // Far longer texts than names have (SPF terms of kilobytes): keep the most that fit.
            (kept, rows) = MostThatFit(partition, names, bucket, candidates);
            refused.AddRange(candidates.Skip(kept).Select(s => s.Ip));
            changed = kept > 0;
        }

        if (!changed || rows is not { } fitted)
        {
            return ([], refused);
        }

        var actions = Replace(partition, bucket, fitted.Main, fitted.Overflow);
        foreach (var sender in candidates.Take(kept))
        {
            if (legacyDeletes > 0 && actions.Count < TableLimits.MaxBatchOperations && names.Legacy.TryGetValue(sender.Ip, out var legacy))
            {
                actions.Add(Delete(partition, legacy.RowKey));
                legacyDeletes--;
            }
        }

        return (actions, refused);
    }

    /// <summary>The longest start of <paramref name="candidates"/> whose rows fit with the bucket's names, and those rows (binary search; none fitting is 0).</summary>
    private static (int Kept, (TableEntity Main, IReadOnlyList<TableEntity> Overflow)? Rows) MostThatFit(
        string partition, DmarcSenderNames names, SenderBucket bucket, IReadOnlyList<StoredSender> candidates)
    {
        (TableEntity, IReadOnlyList<TableEntity>)? RowsOf(int count) => PackedSenders.Rows(partition, bucket.Index, Merged(names, bucket, candidates.Take(count)).Values);

        var (fits, fails) = (0, candidates.Count);
        (TableEntity, IReadOnlyList<TableEntity>)? best = null;
        while (fails - fits > 1)
        {
            var middle = (fits + fails) / 2;
            if (RowsOf(middle) is { } rows)
            {
                (fits, best) = (middle, rows);
            }
            else
            {
                fails = middle;
            }
        }

        return (fits, best);
    }

    /// <summary>The bucket's names with <paramref name="incoming"/> merged in, each with the bucket's name of its address or else its old-layout row.</summary>
    private static Dictionary<string, StoredSender> Merged(DmarcSenderNames names, SenderBucket bucket, IEnumerable<StoredSender> incoming)
    {
        var merged = new Dictionary<string, StoredSender>(bucket.Names, StringComparer.Ordinal);
        foreach (var sender in incoming)
        {
            merged[sender.Ip] = SenderBucket.Merge(bucket.Names.GetValueOrDefault(sender.Ip) ?? names.Legacy.GetValueOrDefault(sender.Ip)?.Sender, sender);
        }

        return merged;
    }

    /// <summary>The bucket's row (added, or replaced if unchanged since read), its overflow rows, and deletes of the overflow rows it no longer has.</summary>
    private static List<TableTransactionAction> Replace(string partition, SenderBucket bucket, TableEntity main, IReadOnlyList<TableEntity> overflow) =>
    [
        bucket.ETag is { } etag
            ? new TableTransactionAction(TableTransactionActionType.UpdateReplace, main, etag)
            : new TableTransactionAction(TableTransactionActionType.Add, main),
        .. overflow.Select(o => new TableTransactionAction(TableTransactionActionType.UpsertReplace, o)),
        .. bucket.OverflowRowKeys.Where(k => overflow.All(o => o.RowKey != k)).Select(k => Delete(partition, k)),
    ];

    private static TableTransactionAction Delete(string partition, string rowKey) =>
        new(TableTransactionActionType.Delete, new TableEntity(partition, rowKey), ETag.All);

    /// <summary>Another writer got there first: a bucket's ETag no longer matches (412), a bucket was added meanwhile (409), or a row to delete is gone (404).</summary>
    private static bool IsConflict(Exception e) => e is StorageConcurrencyException or TableTransactionFailedException { Status: 404 };

    private static DmarcSenderNames Parse(string domain, IReadOnlyList<TableEntity> rows)
    {
        var mains = new Dictionary<int, TableEntity>();
        var overflow = new Dictionary<string, TableEntity>(StringComparer.Ordinal);
        var overflowKeys = new Dictionary<int, List<string>>();
        var legacy = new Dictionary<string, LegacySenderRow>(StringComparer.Ordinal);
        foreach (var row in rows)
        {
            if (SenderBuckets.MainRow(row.RowKey) is { } bucket)
            {
                mains[bucket] = row;
            }
            else if (SenderBuckets.OverflowRow(row.RowKey) is { } of)
            {
                overflow[row.RowKey] = row;
                (overflowKeys.TryGetValue(of, out var keys) ? keys : overflowKeys[of] = []).Add(row.RowKey);
            }
            else
            {
                var sender = ReadLegacy(row);
                legacy[sender.Ip] = new LegacySenderRow(row.RowKey, sender);
            }
        }

        var buckets = Enumerable.Range(0, SenderBuckets.Count).Select(b =>
        {
            if (!mains.TryGetValue(b, out var main))
            {
                return SenderBucket.Empty(b);
            }

            var ofMain = Enumerable.Range(0, PackedSenders.OverflowRows(main))
                .Select(i => overflow.GetValueOrDefault(SenderBuckets.OverflowRowKey(b, i))
                    ?? throw new StoredDataException($"({main.PartitionKey}, {main.RowKey}): overflow row {i} missing"))
                .ToList();
            var names = PackedSenders.Read(main, ofMain).ToDictionary(s => s.Ip, StringComparer.Ordinal);
            return new SenderBucket(b, main.ETag, names, overflowKeys.GetValueOrDefault(b) ?? []);
        }).ToList();
        return new DmarcSenderNames(domain, buckets, legacy);
    }

    /// <summary>A row of the layout before buckets: one address, its name in columns.</summary>
    private static StoredSender ReadLegacy(TableEntity row) => new()
    {
        Ip = row.GetString("Ip") ?? KeyText.Unescape(row.RowKey),
        PtrName = row.GetString("PtrName"),
        Confirmed = row.GetBoolean("Confirmed") ?? false,
        BaseDomain = row.GetString("BaseDomain"),
        Problem = row.GetString("Problem") ?? "",
        SpfResult = row.GetString("SpfResult"),
        SpfTerm = row.GetString("SpfTerm"),
        SpfMechanism = row.GetString("SpfMechanism"),
        NamedAt = row.GetDateTimeOffset("NamedAt"),
        FirstSeen = ReportKeys.DayOf(row.GetDateTimeOffset("FirstSeen")),
        LastSeen = ReportKeys.DayOf(row.GetDateTimeOffset("LastSeen")),
    };

}
