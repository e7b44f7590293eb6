namespace MailHealth.Storage.ReceiverReports;

/// <summary>
/// A domain's names as one read of its partition of <c>{prefix}dmarcsenders</c> found them
/// (<see cref="DmarcSenderStore.ReadAsync"/>): every name, and what a write needs to change them
/// without losing another writer's (each bucket's ETag). A name in a bucket wins over a row of
/// the layout before buckets for the same address.
/// </summary>
public sealed class DmarcSenderNames
{
    private readonly Dictionary<string, StoredSender> byIp;

    internal DmarcSenderNames(string domain, IReadOnlyList<SenderBucket> buckets, IReadOnlyDictionary<string, LegacySenderRow> legacy)
    {
        Domain = domain;
        Buckets = buckets;
        Legacy = legacy;
        byIp = new Dictionary<string, StoredSender>(StringComparer.Ordinal);
        foreach (var (ip, row) in legacy)
        {
            byIp[ip] = row.Sender;
        }

        foreach (var bucket in buckets)
        {
            foreach (var (ip, sender) in bucket.Names)
            {
                byIp[ip] = sender;
            }
        }
    }

    public string Domain { get; }

    /// <summary>Every named address of the domain, once.</summary>
    public IReadOnlyCollection<StoredSender> Senders => byIp.Values;

    /// <summary>The buckets, each as read (<see cref="SenderBucket.Empty"/> for one without a row).</summary>
    internal IReadOnlyList<SenderBucket> Buckets { get; }

    /// <summary>Rows of the layout before buckets, by address (including those a bucket also names).</summary>
    internal IReadOnlyDictionary<string, LegacySenderRow> Legacy { get; }

    public StoredSender? Find(string ip) => byIp.GetValueOrDefault(ip);

    /// <summary>
    /// Those of <paramref name="addresses"/> that could not be kept if written now, in their order:
    /// new to a bucket that has no room left for them (<see cref="DmarcSenderStore.MaxNamesPerBucket"/>),
    /// counting the earlier ones of <paramref name="addresses"/>. Naming leaves them unnamed.
    /// </summary>
    public IReadOnlyList<string> BeyondCapacity(IEnumerable<string> addresses)
    {
        ArgumentNullException.ThrowIfNull(addresses);
        var added = new int[SenderBuckets.Count];
        var beyond = new List<string>();
        foreach (var ip in addresses.Distinct(StringComparer.Ordinal))
        {
            var bucket = Buckets[SenderBuckets.Of(ip)];
            if (bucket.Names.ContainsKey(ip))
            {
                continue;
            }

            if (bucket.Names.Count + added[bucket.Index] >= PackedSenders.MaxNamesPerBucket)
            {
                beyond.Add(ip);
            }
            else
            {
                added[bucket.Index]++;
            }
        }

        return beyond;
    }
}
