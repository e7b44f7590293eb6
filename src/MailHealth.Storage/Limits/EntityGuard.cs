using Azure.Data.Tables;

namespace MailHealth.Storage.Limits;

/// <summary>
/// Sizes entities the way the Table service does and throws <see cref="TableLimitException"/> on
/// a violation: 4 bytes + 2 per key character + for each property 8 bytes + 2 per name character
/// + its value (string: 2 per character + 4; binary: length + 4; 8 for dates, longs and doubles,
/// 4 for ints, 1 for bools, 16 for GUIDs).
/// </summary>
public static class EntityGuard
{
    private static readonly HashSet<string> SystemProperties = new(StringComparer.Ordinal)
    {
        "PartitionKey", "RowKey", "Timestamp", "odata.etag",
    };

    /// <summary>The entity's size as the service counts it; throws when a limit is broken.</summary>
    public static int Check(TableEntity entity)
    {
        ArgumentNullException.ThrowIfNull(entity);
        var where = $"entity ({entity.PartitionKey}, {entity.RowKey})";
        var size = 4 + (2 * ((entity.PartitionKey?.Length ?? 0) + (entity.RowKey?.Length ?? 0)));
        if ((entity.PartitionKey?.Length ?? 0) > 512 || (entity.RowKey?.Length ?? 0) > 512)
        {
            throw new TableLimitException($"{where}: a key is longer than 512 characters (1 KiB)");
        }

        var custom = 0;
        foreach (var (name, value) in entity)
        {
            if (SystemProperties.Contains(name))
            {
                continue;
            }

            custom++;
            var valueSize = ValueSize(value);
            if (valueSize - 4 > TableLimits.MaxPropertyBytes && value is string or byte[] or BinaryData)
            {
                throw new TableLimitException($"{where}: property {name} holds {valueSize - 4} bytes; the limit is {TableLimits.MaxPropertyBytes}");
            }

            size += 8 + (2 * name.Length) + valueSize;
        }

        if (custom > TableLimits.MaxCustomProperties)
        {
            throw new TableLimitException($"{where}: {custom} properties; the limit is {TableLimits.MaxCustomProperties}");
        }

        if (size > TableLimits.MaxEntityBytes)
        {
            throw new TableLimitException($"{where}: {size} bytes; the limit is {TableLimits.MaxEntityBytes}");
        }

        // The same 1 MiB applied to the entity's JSON (binary as Base64), as Azurite checks it:
        // an entity that passes both is accepted by the service and by the emulator alike.
        var wire = EstimatedWireBytes(entity);
        if (wire > TableLimits.MaxEntityBytes)
        {
            throw new TableLimitException($"{where}: about {wire} bytes of JSON; the limit is {TableLimits.MaxEntityBytes}");
        }

        return size;
    }

    /// <summary>Checks a transaction: at most 100 operations, one partition, a body under 4 MiB. Returns the estimated body size.</summary>
    public static long CheckBatch(IReadOnlyList<TableTransactionAction> actions)
    {
        ArgumentNullException.ThrowIfNull(actions);
        if (actions.Count > TableLimits.MaxBatchOperations)
        {
            throw new TableLimitException($"a transaction of {actions.Count} operations; the limit is {TableLimits.MaxBatchOperations}");
        }

        var partitions = actions.Select(a => a.Entity.PartitionKey).Distinct(StringComparer.Ordinal).Count();
        if (partitions > 1)
        {
            throw new TableLimitException($"a transaction spanning {partitions} partitions; it must stay in one");
        }

        var payload = actions.Sum(a => EstimatedWireBytes(a.Entity));
        if (payload > TableLimits.MaxBatchPayloadBytes)
        {
            throw new TableLimitException($"a transaction of about {payload} bytes; the limit is 4 MiB");
        }

        return payload;
    }

    /// <summary>An upper estimate of an entity's bytes in a JSON request body: binary travels as Base64 (4/3), a string's characters take up to 3 bytes in UTF-8.</summary>
    public static long EstimatedWireBytes(ITableEntity entity)
    {
        long bytes = 512 + (2 * ((entity.PartitionKey?.Length ?? 0) + (entity.RowKey?.Length ?? 0)));
        if (entity is TableEntity table)
        {
            foreach (var (name, value) in table)
            {
                bytes += value switch
                {
                    byte[] b => EstimatedBinaryWireBytes(name, b.Length),
                    BinaryData d => EstimatedBinaryWireBytes(name, d.ToMemory().Length),
                    string s => 64 + (2 * name.Length) + (3L * s.Length),
                    _ => 64 + (2 * name.Length) + 48,
                };
            }
        }

        return bytes;
    }

    /// <summary>A binary property in a JSON body: its name twice (value and type annotation), Base64 text, punctuation.</summary>
    public static long EstimatedBinaryWireBytes(string name, int length) => 64 + (2 * name.Length) + ((length + 2) / 3 * 4) + 48;

    private static int ValueSize(object? value) => value switch
    {
        null => 0,
        string s => (2 * s.Length) + 4,
        byte[] b => b.Length + 4,
        BinaryData d => d.ToMemory().Length + 4,
        bool => 1,
        int => 4,
        long or double or DateTime or DateTimeOffset => 8,
        Guid => 16,
        _ => throw new TableLimitException($"a property of type {value.GetType().Name}, which the Table service does not store"),
    };
}
