namespace MailHealth.Storage.Availability;

/// <summary>
/// Whether storage answers, as this process sees it. Every request of the storage clients reports
/// here (<see cref="StorageFailurePolicy"/>), and so does a caller whose deadline passed
/// (<see cref="StorageDeadline"/>): an outage starts at the first failure and ends at the first
/// answer after it. Ended outages are kept (the newest <see cref="MaxEnded"/>) until the monitor
/// has written them to storage, which it can only do once storage answers again.
/// </summary>
public sealed class StorageAvailability(TimeProvider time)
{
    /// <summary>Ended outages kept in memory at most: a flapping store must not grow the process.</summary>
    public const int MaxEnded = 20;

    private readonly Lock gate = new();
    private readonly List<StorageOutage> ended = [];
    private StorageOutage? current;

    /// <summary>The outage going on now; null while storage answers.</summary>
    public StorageOutage? Current => Volatile.Read(ref current);

    /// <summary>Outages that ended and are not recorded yet, oldest first.</summary>
    public IReadOnlyList<StorageOutage> Ended
    {
        get
        {
            lock (gate)
            {
                return [.. ended];
            }
        }
    }

    /// <summary>A call found storage unavailable: starts an outage, or counts one more failure of the current one.</summary>
    public void Failed(string reason)
    {
        var now = time.GetUtcNow();
        lock (gate)
        {
            var outage = current is null
                ? new StorageOutage(now, null, reason, 1)
                : current with { Failures = current.Failures + 1 };
            Volatile.Write(ref current, outage);
        }
    }

    /// <summary>Storage answered (whatever it said): ends the current outage, if any.</summary>
    public void Answered()
    {
        // The common case, many times a second, takes no lock.
        if (Volatile.Read(ref current) is null)
        {
            return;
        }

        var now = time.GetUtcNow();
        lock (gate)
        {
            if (current is null)
            {
                return;
            }

            ended.Add(current with { Until = now });
            if (ended.Count > MaxEnded)
            {
                ended.RemoveAt(0);
            }

            Volatile.Write(ref current, null);
        }
    }

    /// <summary>Forgets <paramref name="outages"/> once they are written to storage.</summary>
    public void Recorded(IEnumerable<StorageOutage> outages)
    {
        ArgumentNullException.ThrowIfNull(outages);
        lock (gate)
        {
            foreach (var outage in outages)
            {
                ended.Remove(outage);
            }
        }
    }
}
