using MailHealth.Monitor.Caching;
using MailHealth.Storage.Targets;

namespace MailHealth.Monitor.ReceiverReports;

/// <summary>
/// Which targets monitor each policy domain, for report ingestion: every target's id and domain
/// read at once and kept for at most <see cref="MaxAge"/>, or until this process adds, changes or
/// removes a target (<see cref="WriteClock"/>). Asking storage per report filtered the targets'
/// partition on a column that is no key: a scan of every target for each report (10 pages for
/// 10,000 targets). A target another process added is seen within <see cref="MaxAge"/>; a report
/// stored meanwhile counts for it all the same (reads go by domain), only its outcome does not name it.
/// </summary>
public sealed class DomainTargets(TargetStore targets, WriteClock writes, TimeProvider time)
{
    /// <summary>How long a read of the targets serves: other processes' changes are seen within it.</summary>
    public static readonly TimeSpan MaxAge = TimeSpan.FromMinutes(1);

    private readonly SemaphoreSlim _reading = new(1, 1);
    private Snapshot? _snapshot;

    /// <summary>The ids of the targets whose domain is <paramref name="domain"/>, in id order.</summary>
    public async Task<IReadOnlyList<string>> OfAsync(string domain, CancellationToken cancellationToken)
    {
        var snapshot = Volatile.Read(ref _snapshot);
        if (snapshot is null || IsStale(snapshot))
        {
            await _reading.WaitAsync(cancellationToken).ConfigureAwait(false);
            try
            {
                snapshot = _snapshot;
                if (snapshot is null || IsStale(snapshot))
                {
                    // The clock before the read: a target written during it makes this copy stale.
                    var (tick, at) = (writes.Now, time.GetUtcNow());
                    var all = await targets.ListDomainsAsync(cancellationToken).ConfigureAwait(false);
                    snapshot = new Snapshot(all.ToLookup(t => t.Domain, t => t.Id, StringComparer.Ordinal), tick, at);
                    Volatile.Write(ref _snapshot, snapshot);
                }
            }
            finally
            {
                _reading.Release();
            }
        }

        return [.. snapshot.Ids[domain].Order(StringComparer.Ordinal)];
    }

    private bool IsStale(Snapshot snapshot) =>
        time.GetUtcNow() - snapshot.ReadAt >= MaxAge || writes.WrittenSince(snapshot.Tick, ReadScope.TargetIds);

    private sealed record Snapshot(ILookup<string, string> Ids, long Tick, DateTimeOffset ReadAt);
}
