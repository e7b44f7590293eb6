using System.Collections.Concurrent;

namespace MailHealth.Monitor.Caching;

/// <summary>
/// A logical clock of what this process has written, for those that keep copies of stored data
/// (the API's read cache): every write a process makes that a reader may have copied (a run
/// stored, a target put or removed, an alert acknowledged, the retention purge, the schedule's tick)
/// ticks it, under the target it concerns. A reader takes <see cref="Now"/> before it reads storage and later asks
/// <see cref="WrittenSince"/> whether its copy may be older than what this process wrote since.
/// Writers tick after their writes (after a failed one too: part of it may have landed), so a copy
/// read while a write was under way is never taken for current. Other processes' writes are not
/// seen here: a copy's age bounds those (docs/api.md, Caching).
/// </summary>
public sealed class WriteClock
{
    private readonly ConcurrentDictionary<string, long> _targets = new(StringComparer.Ordinal);
    private long _now;
    private long _anyTarget;
    private long _membership;
    private long _monitorState;
    private long _reports;
    private long _everything;

    /// <summary>The time of the latest write; a copy read from storage after this is at least as new.</summary>
    public long Now => Volatile.Read(ref _now);

    /// <summary>Something of <paramref name="targetId"/> was written: a run, its alerts, its definition.</summary>
    public void Wrote(string targetId)
    {
        ArgumentNullException.ThrowIfNull(targetId);
        var at = Interlocked.Increment(ref _now);
        // Two writers of one target may tick out of order: the later time stays.
        _targets.AddOrUpdate(targetId, at, (_, before) => Math.Max(before, at));
        Advance(ref _anyTarget, at);
    }

    /// <summary>A target was added or removed: every list of targets may be different now.</summary>
    public void AddedOrRemoved(string targetId)
    {
        Wrote(targetId);
        Advance(ref _membership, Now);
    }

    /// <summary>The monitor's own state was written: the schedule ticked, a probe was queued, outages were recorded.</summary>
    public void WroteMonitorState() => Advance(ref _monitorState, Interlocked.Increment(ref _now));

    /// <summary>A report input was processed: what receivers say of <paramref name="targetIds"/> (those that monitor its reports' domains) may be different now, and so is the list of what arrived.</summary>
    public void ProcessedReports(IEnumerable<string> targetIds)
    {
        ArgumentNullException.ThrowIfNull(targetIds);
        foreach (var targetId in targetIds)
        {
            Wrote(targetId);
        }

        Advance(ref _reports, Interlocked.Increment(ref _now));
    }

    /// <summary>Writes across every target (the retention purge): no copy is current any more.</summary>
    public void WroteEverything() => Advance(ref _everything, Interlocked.Increment(ref _now));

    /// <summary>Whether this process wrote anything <paramref name="scope"/> depends on after <paramref name="since"/> (a <see cref="Now"/> taken earlier).</summary>
    public bool WrittenSince(long since, ReadScope scope)
    {
        ArgumentNullException.ThrowIfNull(scope);
        return Volatile.Read(ref _everything) > since
            || (scope.AnyTarget && Volatile.Read(ref _anyTarget) > since)
            || (scope.Membership && Volatile.Read(ref _membership) > since)
            || (scope.MonitorState && Volatile.Read(ref _monitorState) > since)
            || (scope.ReceivedReports && Volatile.Read(ref _reports) > since)
            || scope.Targets.Any(t => _targets.TryGetValue(t, out var at) && at > since);
    }

    private static void Advance(ref long field, long to)
    {
        var seen = Volatile.Read(ref field);
        while (seen < to)
        {
            var was = Interlocked.CompareExchange(ref field, to, seen);
            if (was == seen)
            {
                return;
            }

            seen = was;
        }
    }
}
