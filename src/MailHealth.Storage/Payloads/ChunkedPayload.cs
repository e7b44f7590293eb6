using System.Globalization;
using Azure.Data.Tables;
using MailHealth.Storage.Limits;

namespace MailHealth.Storage.Payloads;

/// <summary>
/// Lays a (compressed) byte payload over binary properties of at most 64 KiB: as many as fit in
/// the main entity under its 1 MiB and 252-property limits, the rest in overflow entities of the
/// same partition. Nothing is ever cut: reading checks the length and that every overflow row
/// belongs to the same write (<c>WriteId</c>), and fails loudly otherwise.
/// </summary>
public static class ChunkedPayload
{
    /// <summary>Bytes per property: the service's 64 KiB property limit.</summary>
    public const int ChunkBytes = TableLimits.MaxPropertyBytes;

    /// <summary>Room kept free in every entity for the service's own accounting and small later additions.</summary>
    private const int Margin = 4 * 1024;

    private const string WriteIdProperty = "WriteId";
    private const string OverflowPrefix = "D";

    /// <summary>
    /// Puts <paramref name="payload"/> into <paramref name="main"/> as properties
    /// <c>{prefix}000</c>... and returns the overflow entities (row keys from
    /// <paramref name="overflowRowKey"/>(0, 1, ...)) for what does not fit. <paramref name="maxInMain"/>
    /// caps the properties used in the main entity (for payloads read with a fixed select list).
    /// The entity takes <paramref name="payload"/> itself when it fits in one property (the common
    /// case: a compressed summary or report), so the caller must not change it afterwards.
    /// </summary>
    public static IReadOnlyList<TableEntity> Spread(
        TableEntity main, string prefix, byte[] payload, string writeId, Func<int, string> overflowRowKey, int maxInMain = int.MaxValue)
    {
        ArgumentNullException.ThrowIfNull(main);
        ArgumentNullException.ThrowIfNull(payload);
        main[prefix + "Length"] = payload.Length;
        main[WriteIdProperty] = writeId;
        main[prefix + "Rows"] = 0;
        var size = EntityGuard.Check(main);
        var wire = EntityGuard.EstimatedWireBytes(main);
        var customCount = main.Keys.Count(k => k is not ("PartitionKey" or "RowKey" or "Timestamp" or "odata.etag"));
        var offset = 0;
        var index = 0;
        while (offset < payload.Length && index < maxInMain)
        {
            var name = prefix + index.ToString("D3", CultureInfo.InvariantCulture);
            var length = Math.Min(ChunkBytes, payload.Length - offset);
            if (!Fits(ref size, ref wire, name, length) || customCount + 1 > TableLimits.MaxCustomProperties)
            {
                break;
            }

            main[name] = length == payload.Length ? payload : payload.AsSpan(offset, length).ToArray();
            customCount++;
            offset += length;
            index++;
        }

        var overflow = new List<TableEntity>();
        while (offset < payload.Length)
        {
            var row = new TableEntity(main.PartitionKey, overflowRowKey(overflow.Count))
            {
                [WriteIdProperty] = writeId,
                ["Index"] = overflow.Count,
            };
            var rowSize = EntityGuard.Check(row);
            var rowWire = EntityGuard.EstimatedWireBytes(row);
            var chunk = 0;
            while (offset < payload.Length)
            {
                var name = OverflowPrefix + chunk.ToString("D3", CultureInfo.InvariantCulture);
                var length = Math.Min(ChunkBytes, payload.Length - offset);
                if (!Fits(ref rowSize, ref rowWire, name, length))
                {
                    break;
                }

                row[name] = payload.AsSpan(offset, length).ToArray();
                offset += length;
                chunk++;
            }

            overflow.Add(row);
        }

        main[prefix + "Rows"] = overflow.Count;
        return overflow;
    }

    /// <summary>
    /// Whether one more binary property fits: under 1 MiB as the service counts it and under
    /// 1 MiB of JSON on the wire (Base64), which Azurite checks (so about 700 KiB of data per entity).
    /// </summary>
    private static bool Fits(ref int size, ref long wire, string name, int length)
    {
        var cost = 8 + (2 * name.Length) + length + 4;
        var wireCost = EntityGuard.EstimatedBinaryWireBytes(name, length);
        if (size + cost > TableLimits.MaxEntityBytes - Margin || wire + wireCost > TableLimits.MaxEntityBytes - Margin)
        {
            return false;
        }

        size += cost;
        wire += wireCost;
        return true;
    }

    /// <summary>How many overflow rows the main entity says the payload under <paramref name="prefix"/> has.</summary>
    public static int OverflowRows(TableEntity main, string prefix) => main.GetInt32(prefix + "Rows") ?? 0;

    /// <summary>
    /// Reassembles what <see cref="Spread"/> wrote; <paramref name="overflow"/> in row order. A
    /// payload stored in one property is returned as the entity holds it, without a copy.
    /// </summary>
    public static byte[] Gather(TableEntity main, string prefix, IReadOnlyList<TableEntity> overflow)
    {
        ArgumentNullException.ThrowIfNull(main);
        var where = $"({main.PartitionKey}, {main.RowKey})";
        var length = main.GetInt32(prefix + "Length") ?? throw new StoredDataException($"{where}: no {prefix}Length");
        var rows = OverflowRows(main, prefix);
        var writeId = main.GetString(WriteIdProperty);
        if (overflow.Count != rows)
        {
            throw new StoredDataException($"{where}: {rows} overflow rows expected, {overflow.Count} found");
        }

        if (rows == 0 && main.TryGetValue(prefix + "000", out var only) && only is byte[] whole && whole.Length == length
            && !main.ContainsKey(prefix + "001"))
        {
            return whole;
        }

        var result = new byte[length];
        var offset = 0;
        Copy(main, prefix, result, ref offset, where);
        for (var i = 0; i < overflow.Count; i++)
        {
            if (overflow[i].GetString(WriteIdProperty) != writeId || overflow[i].GetInt32("Index") != i)
            {
                throw new StoredDataException($"{where}: overflow row {i} belongs to another write");
            }

            Copy(overflow[i], OverflowPrefix, result, ref offset, where);
        }

        if (offset != length)
        {
            throw new StoredDataException($"{where}: {offset} bytes found, {length} expected");
        }

        return result;
    }

    private static void Copy(TableEntity entity, string prefix, byte[] result, ref int offset, string where)
    {
        for (var i = 0; ; i++)
        {
            var name = prefix + i.ToString("D3", CultureInfo.InvariantCulture);
            if (!entity.TryGetValue(name, out var value) || value is null)
            {
                return;
            }

            var bytes = value switch
            {
                byte[] b => b,
                BinaryData d => d.ToArray(),
                _ => throw new StoredDataException($"{where}: {name} is not binary"),
            };
            if (offset + bytes.Length > result.Length)
            {
                throw new StoredDataException($"{where}: more bytes stored than the recorded length");
            }

            bytes.CopyTo(result, offset);
            offset += bytes.Length;
        }
    }
}
