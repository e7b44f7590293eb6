using System.Text;
using Azure.Data.Tables;
using MailHealth.ReportTotals;
using MailHealth.Storage.Payloads;

namespace MailHealth.Storage.ReceiverReports;

/// <summary>
/// Up to <see cref="MaxSourcesPerRow"/> sources of one report on one day in one row of
/// <c>{prefix}dmarcsources</c> (docs/storage.md, "Receivers' reports"): each source's address and
/// counts packed into a byte payload laid over the row's binary properties
/// (<see cref="ChunkedPayload"/>). One row per source made a report of 100 sources 100 entities;
/// packed it is one, and a store pays per entity (Azurite's in-memory index work grows with every
/// entity a table holds; Azure bills a transaction per 100, and a partition takes about 2,000 a second).
/// Layout, version 1: the version byte, the source count (7-bit encoded), then per source its
/// address (length-prefixed UTF-8), a 16-bit mask of the counts that are not zero (in the order of
/// <see cref="DmarcCounts.Names"/>) and those counts as doubles, little-endian.
/// </summary>
internal static class PackedSources
{
    /// <summary>
    /// Sources one row holds: the longest address (45 characters of IPv6 text) with every count set
    /// takes 128 bytes, so a full row is at most 384,000 bytes, within the 700 KiB of binary an
    /// entity carries once Base64 on the wire (<see cref="ChunkedPayload"/>).
    /// </summary>
    public const int MaxSourcesPerRow = 3_000;

    private const byte Version = 1;
    private const string Prefix = "P";

    /// <summary>A row of <paramref name="sources"/> (at most <see cref="MaxSourcesPerRow"/>), each count times <paramref name="share"/>.</summary>
    public static TableEntity Row(string partition, string rowKey, string writeId, IReadOnlyCollection<KeyValuePair<string, DmarcCounts>> sources, double share)
    {
        if (sources.Count > MaxSourcesPerRow)
        {
            throw new ArgumentOutOfRangeException(nameof(sources), sources.Count, $"a packed row holds at most {MaxSourcesPerRow} sources");
        }

        using var buffer = new MemoryStream();
        using (var writer = new BinaryWriter(buffer, Encoding.UTF8, leaveOpen: true))
        {
            writer.Write(Version);
            writer.Write7BitEncodedInt(sources.Count);
            foreach (var (address, counts) in sources)
            {
                writer.Write(address);
                var values = counts.Values;
                ushort mask = 0;
                for (var i = 0; i < values.Count; i++)
                {
                    mask |= values[i] != 0 ? (ushort)(1 << i) : (ushort)0;
                }

                writer.Write(mask);
                for (var i = 0; i < values.Count; i++)
                {
                    if (values[i] != 0)
                    {
                        writer.Write(values[i] * share);
                    }
                }
            }
        }

        var row = new TableEntity(partition, rowKey) { ["Sources"] = sources.Count };
        var overflow = ChunkedPayload.Spread(row, Prefix, buffer.ToArray(), writeId, _ => rowKey + "_overflow");
        return overflow.Count == 0
            ? row
            : throw new InvalidOperationException($"{MaxSourcesPerRow} sources did not fit in one row: {nameof(MaxSourcesPerRow)} is too large");
    }

    /// <summary>Whether <paramref name="row"/> is a packed row (not one of the single-source rows written before packing).</summary>
    public static bool IsPacked(TableEntity row) => row.ContainsKey(Prefix + "Length");

    /// <summary>The sources of a packed row, with their counts.</summary>
    public static IEnumerable<(string Address, DmarcCounts Counts)> Read(TableEntity row)
    {
        var payload = ChunkedPayload.Gather(row, Prefix, []);
        using var reader = new BinaryReader(new MemoryStream(payload), Encoding.UTF8);
        var version = reader.ReadByte();
        if (version != Version)
        {
            throw new StoredDataException($"({row.PartitionKey}, {row.RowKey}): packed sources of version {version}, only {Version} is read");
        }

        var count = reader.Read7BitEncodedInt();
        var values = new double[DmarcCounts.Names.Count];
        var sources = new List<(string, DmarcCounts)>(count);
        for (var s = 0; s < count; s++)
        {
            var address = reader.ReadString();
            var mask = reader.ReadUInt16();
            for (var i = 0; i < values.Length; i++)
            {
                values[i] = (mask & (1 << i)) != 0 ? reader.ReadDouble() : 0;
            }

            sources.Add((address, DmarcCounts.FromValues(values)));
        }

        return sources;
    }
}
