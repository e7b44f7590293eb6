using System.Collections.Concurrent;

namespace MailHealth.Senders;

/// <summary>
/// Lookups shared by every caller that asks for the same key while they run and, once done,
/// for <c>age</c>: at most <c>capacity</c> are held; past it, a lookup still runs but is not
/// kept until expired ones are swept. A lookup that failed, or whose result <c>keep</c> refuses
/// (a timeout), is forgotten as soon as it ends, so the next caller asks again.
/// </summary>
internal sealed class SharedLookups<TKey, TValue>(int capacity, TimeSpan age, TimeProvider time, Func<TValue, bool> keep)
    where TKey : notnull
{
    private readonly ConcurrentDictionary<TKey, Entry> _entries = new();

    // Swept at a pace that grows with the table, so a full table costs a walk every so often, not every time.
    private readonly int _sweepEvery = Math.Max(256, capacity / 4);
    private int _refused;

    public int Count => _entries.Count;

    public Task<TValue> GetOrStart(TKey key, Func<Task<TValue>> start)
    {
        var now = time.GetUtcNow();
        if (_entries.TryGetValue(key, out var known))
        {
            if (known.Expires > now || !known.Lookup.IsValueCreated || !known.Lookup.Value.IsCompleted)
            {
                return known.Lookup.Value;
            }

            _entries.TryRemove(KeyValuePair.Create(key, known));
        }

        if (_entries.Count >= capacity)
        {
            if (Interlocked.Increment(ref _refused) % _sweepEvery == 1)
            {
                Sweep(now);
            }

            if (_entries.Count >= capacity)
            {
                return start();
            }
        }

        var created = new Entry(new Lazy<Task<TValue>>(start), now + age);
        var entry = _entries.GetOrAdd(key, created);
        var lookup = entry.Lookup.Value;
        if (ReferenceEquals(entry, created))
        {
            _ = lookup.ContinueWith(
                done =>
                {
                    if (!done.IsCompletedSuccessfully || !keep(done.Result) || age <= TimeSpan.Zero)
                    {
                        _entries.TryRemove(KeyValuePair.Create(key, entry));
                    }
                },
                CancellationToken.None,
                TaskContinuationOptions.ExecuteSynchronously,
                TaskScheduler.Default);
        }

        return lookup;
    }

    private void Sweep(DateTimeOffset now)
    {
        foreach (var (key, entry) in _entries)
        {
            if (entry.Expires <= now && entry.Lookup.IsValueCreated && entry.Lookup.Value.IsCompleted)
            {
                _entries.TryRemove(KeyValuePair.Create(key, entry));
            }
        }
    }

    private sealed record Entry(Lazy<Task<TValue>> Lookup, DateTimeOffset Expires);
}
