using Azure;

namespace MailHealth.Storage.ReceiverReports;

/// <summary>
/// One bucket of a domain's names as read (<see cref="SenderBuckets"/>): its names by address, the
/// ETag of its row (null when it has none yet, so a write adds it) and its overflow rows' keys.
/// </summary>
internal sealed class SenderBucket(int index, ETag? etag, IReadOnlyDictionary<string, StoredSender> names, IReadOnlyList<string> overflowRowKeys)
{
    public static SenderBucket Empty(int index) => new(index, null, new Dictionary<string, StoredSender>(StringComparer.Ordinal), []);

    public int Index { get; } = index;

    public ETag? ETag { get; } = etag;

    public IReadOnlyDictionary<string, StoredSender> Names { get; } = names;

    public IReadOnlyList<string> OverflowRowKeys { get; } = overflowRowKeys;

    /// <summary>
    /// What one naming of <paramref name="stored"/> and one of <paramref name="incoming"/> (the same
    /// address) leave: the newer naming (<see cref="StoredSender.NamedAt"/>; a tie goes to
    /// <paramref name="incoming"/>, and a row that only records its days is older than any naming)
    /// with the seen days of both. So two writers of one address, in either order, leave the same.
    /// </summary>
    public static StoredSender Merge(StoredSender? stored, StoredSender incoming)
    {
        ArgumentNullException.ThrowIfNull(incoming);
        if (stored is null)
        {
            return incoming;
        }

        var newer = (incoming.NamedAt ?? DateTimeOffset.MinValue) >= (stored.NamedAt ?? DateTimeOffset.MinValue) ? incoming : stored;
        return newer with
        {
            FirstSeen = stored.FirstSeen < incoming.FirstSeen ? stored.FirstSeen : incoming.FirstSeen,
            LastSeen = stored.LastSeen > incoming.LastSeen ? stored.LastSeen : incoming.LastSeen,
        };
    }
}
