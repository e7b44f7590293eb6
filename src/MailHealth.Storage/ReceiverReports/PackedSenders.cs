using System.Security.Cryptography;
using System.Text;
using Azure.Data.Tables;
using MailHealth.Storage.Payloads;

namespace MailHealth.Storage.ReceiverReports;

/// <summary>
/// The names of one bucket of a domain's sources (<see cref="SenderBuckets"/>) packed into a byte
/// payload laid over the bucket row's binary properties and at most <see cref="MaxOverflowRows"/>
/// overflow rows (<see cref="ChunkedPayload"/>), all written in one transaction.
/// Layout, version 1: the version byte, then gzip of: the name count (7-bit encoded), and per name
/// its address, a byte of flags (bit 0 confirmed, bits 1-6 which of PtrName, BaseDomain,
/// SpfResult, SpfTerm, SpfMechanism and NamedAt are present), its problem, the present strings
/// (length-prefixed UTF-8) in that order, NamedAt as UTC ticks (64 bits, little-endian) and the
/// first and last seen days as day numbers (7-bit encoded).
/// </summary>
internal static class PackedSenders
{
    /// <summary>
    /// Names one bucket holds, so <see cref="SenderBuckets.Count"/> times as many a domain (128,000;
    /// names are spread by a hash, so the first bucket fills at about 120,000). A name takes at most
    /// 1,110 bytes before compression with the longest address text (45 characters), PTR name and
    /// base domain (253 each) and SPF terms of 255 characters: a full bucket is at most 2.2 MB, and
    /// gzip takes more than a third off even random DNS names (38 characters to choose from), so at
    /// most about 1.5 MB, within the row and its two overflow rows (about 720,000 bytes each under
    /// the 1 MiB an entity takes on the wire in Base64). Real names compress to 30-60 bytes; texts
    /// longer still are refused by the store when their bucket would not fit.
    /// </summary>
    public const int MaxNamesPerBucket = 2_000;

    /// <summary>Overflow rows a bucket may use: with the row, three entities of under 1 MiB, within a transaction's 4 MiB.</summary>
    public const int MaxOverflowRows = 2;

    private const byte Version = 1;
    private const string Prefix = "N";

    [Flags]
    private enum Present : byte
    {
        Confirmed = 1,
        PtrName = 2,
        BaseDomain = 4,
        SpfResult = 8,
        SpfTerm = 16,
        SpfMechanism = 32,
        NamedAt = 64,
    }

    /// <summary>
    /// The bucket row and overflow rows that hold <paramref name="senders"/>, or null when they would
    /// need more than <see cref="MaxOverflowRows"/> overflow rows.
    /// </summary>
    public static (TableEntity Main, IReadOnlyList<TableEntity> Overflow)? Rows(string partition, int bucket, IReadOnlyCollection<StoredSender> senders)
    {
        var payload = Encode(senders);
        var main = new TableEntity(partition, SenderBuckets.RowKey(bucket)) { ["Names"] = senders.Count };
        // The payload's own digest names the write: the same names make the same rows, and overflow rows of another write never pass for these.
        var writeId = Convert.ToHexString(SHA256.HashData(payload).AsSpan(0, 8));
        var overflow = ChunkedPayload.Spread(main, Prefix, payload, writeId, i => SenderBuckets.OverflowRowKey(bucket, i));
        return overflow.Count <= MaxOverflowRows ? (main, overflow) : null;
    }

    /// <summary>How many overflow rows the bucket row <paramref name="main"/> says it has.</summary>
    public static int OverflowRows(TableEntity main) => ChunkedPayload.OverflowRows(main, Prefix);

    /// <summary>The names of a bucket row and its overflow rows (in order).</summary>
    public static IReadOnlyList<StoredSender> Read(TableEntity main, IReadOnlyList<TableEntity> overflow)
    {
        var payload = ChunkedPayload.Gather(main, Prefix, overflow);
        if (payload.Length == 0 || payload[0] != Version)
        {
            throw new StoredDataException($"({main.PartitionKey}, {main.RowKey}): packed names of version {(payload.Length == 0 ? "none" : payload[0])}, only {Version} is read");
        }

        using var reader = new BinaryReader(new MemoryStream(Gzip.Decompress(payload[1..])), Encoding.UTF8);
        var count = reader.Read7BitEncodedInt();
        var senders = new List<StoredSender>(count);
        for (var i = 0; i < count; i++)
        {
            var ip = reader.ReadString();
            var present = (Present)reader.ReadByte();
            var problem = reader.ReadString();
            string? Optional(Present flag) => present.HasFlag(flag) ? reader.ReadString() : null;
            var (ptrName, baseDomain, spfResult, spfTerm, spfMechanism) =
                (Optional(Present.PtrName), Optional(Present.BaseDomain), Optional(Present.SpfResult), Optional(Present.SpfTerm), Optional(Present.SpfMechanism));
            senders.Add(new StoredSender
            {
                Ip = ip,
                Confirmed = present.HasFlag(Present.Confirmed),
                Problem = problem,
                PtrName = ptrName,
                BaseDomain = baseDomain,
                SpfResult = spfResult,
                SpfTerm = spfTerm,
                SpfMechanism = spfMechanism,
                NamedAt = present.HasFlag(Present.NamedAt) ? new DateTimeOffset(reader.ReadInt64(), TimeSpan.Zero) : null,
                FirstSeen = DateOnly.FromDayNumber(reader.Read7BitEncodedInt()),
                LastSeen = DateOnly.FromDayNumber(reader.Read7BitEncodedInt()),
            });
        }

        return senders;
    }

    private static byte[] Encode(IReadOnlyCollection<StoredSender> senders)
    {
        using var body = new MemoryStream();
        using (var writer = new BinaryWriter(body, Encoding.UTF8, leaveOpen: true))
        {
            writer.Write7BitEncodedInt(senders.Count);
            foreach (var sender in senders)
            {
                var present = (sender.Confirmed ? Present.Confirmed : 0)
                    | (sender.PtrName is null ? 0 : Present.PtrName)
                    | (sender.BaseDomain is null ? 0 : Present.BaseDomain)
                    | (sender.SpfResult is null ? 0 : Present.SpfResult)
                    | (sender.SpfTerm is null ? 0 : Present.SpfTerm)
                    | (sender.SpfMechanism is null ? 0 : Present.SpfMechanism)
                    | (sender.NamedAt is null ? 0 : Present.NamedAt);
                writer.Write(sender.Ip);
                writer.Write((byte)present);
                writer.Write(sender.Problem);
                foreach (var text in new[] { sender.PtrName, sender.BaseDomain, sender.SpfResult, sender.SpfTerm, sender.SpfMechanism })
                {
                    if (text is not null)
                    {
                        writer.Write(text);
                    }
                }

                if (sender.NamedAt is { } namedAt)
                {
                    writer.Write(namedAt.UtcTicks);
                }

                writer.Write7BitEncodedInt(sender.FirstSeen.DayNumber);
                writer.Write7BitEncodedInt(sender.LastSeen.DayNumber);
            }
        }

        return [Version, .. Gzip.Compress(body.GetBuffer().AsSpan(0, (int)body.Length))];
    }
}
