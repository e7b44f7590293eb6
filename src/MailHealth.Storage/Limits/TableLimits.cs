namespace MailHealth.Storage.Limits;

/// <summary>
/// The Azure Table service's limits (learn.microsoft.com, "Understanding the Table service data
/// model"; "Performing entity group transactions"). Azurite enforces none of them, so
/// <see cref="EntityGuard"/> checks every entity and transaction before it is sent.
/// </summary>
public static class TableLimits
{
    /// <summary>An entity, keys and property names included, as the service counts it.</summary>
    public const int MaxEntityBytes = 1024 * 1024;

    /// <summary>One property value: a string of 32 Ki UTF-16 characters or 64 KiB of binary.</summary>
    public const int MaxPropertyBytes = 64 * 1024;

    /// <summary>Custom properties, besides PartitionKey, RowKey and Timestamp.</summary>
    public const int MaxCustomProperties = 252;

    /// <summary>Operations in one entity group transaction, all in one partition.</summary>
    public const int MaxBatchOperations = 100;

    /// <summary>The whole transaction request is at most 4 MiB; we stay under this estimate of its body.</summary>
    public const int MaxBatchPayloadBytes = (4 * 1024 * 1024) - (256 * 1024);
}
