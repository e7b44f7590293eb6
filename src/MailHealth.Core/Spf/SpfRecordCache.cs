using System.Collections.Concurrent;
using MailHealth.Dns;

namespace MailHealth.Spf;

/// <summary>
/// The SPF records of one run, each name fetched once and shared by the policy walk and every
/// per-IP evaluation, so that they judge the same records and the name servers are asked once.
/// </summary>
public sealed class SpfRecordCache(DnsResolver dns)
{
    private readonly ConcurrentDictionary<string, Lazy<Task<SpfRecordLookup>>> _records = new(StringComparer.OrdinalIgnoreCase);
    private int _fetches;

    /// <summary>TXT queries actually sent: one per distinct name.</summary>
    public int Fetches => Volatile.Read(ref _fetches);

    public Task<SpfRecordLookup> FetchAsync(string domain, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(domain);
        return _records.GetOrAdd(domain.TrimEnd('.'), name => new Lazy<Task<SpfRecordLookup>>(() =>
        {
            Interlocked.Increment(ref _fetches);
            return SpfRecordLookup.FetchAsync(dns, name, cancellationToken);
        })).Value;
    }
}
