using System.Collections.Concurrent;
using DnsClient;

namespace MailHealth.Dns;

/// <summary>
/// Answers kept across runs (<see cref="DnsResolverOptions.UseCache"/>), each for its own
/// <see cref="DnsAnswer.Lifetime"/> (its TTL; a negative answer's SOA, RFC 2308 section 5), never
/// longer than a bound that depends on who answered:
/// <list type="bullet">
/// <item>a caching resolver (<see cref="DnsAnswer.FromResolver"/>) would give the same answer from
/// its cache until the TTL runs out, so keeping it as long loses no freshness and spares the
/// resolver's query budget: bounded by <see cref="DnsResolverOptions.MaximumCacheAge"/> only;</item>
/// <item>an authoritative server gives the zone as it is now: bounded also by
/// <see cref="DnsResolverOptions.MaximumAuthoritativeAge"/> (the monitor: half its interval), so
/// a changed record is read at the next cycle.</item>
/// </list>
/// Only answers are kept (records, no data, no such name); a timeout or a server failure is asked
/// again by the next run. At most <see cref="DnsResolverOptions.CacheCapacity"/> answers are held:
/// a full table takes no new answer until expired ones are swept.
/// </summary>
internal sealed class SharedAnswers(DnsResolverOptions options)
{
    private readonly ConcurrentDictionary<(string Name, QueryType Type), (DnsAnswer Answer, DateTimeOffset Expires)> _answers = new();

    // Swept at a pace that grows with the table, so a keep costs a few entries' walk on average,
    // never a whole table's: a full table refuses new answers until the next sweep frees room.
    private readonly int _sweepEvery = Math.Max(256, options.CacheCapacity / 4);
    private int _kept;

    // The entries held, counted as they come and go: ConcurrentDictionary.Count takes every one of
    // its locks, and asked at each keep it was the contended lock of 64 runs at once (threads
    // spinning on two cores). A race can leave it one off; each sweep sets it right.
    private int _held;

    /// <summary>Answers held now (expired ones included until they are swept or recalled).</summary>
    public int Count => _answers.Count;

    public DnsAnswer? Recall((string Name, QueryType Type) key, DateTimeOffset now)
    {
        if (!_answers.TryGetValue(key, out var entry))
        {
            return null;
        }

        if (entry.Expires > now)
        {
            return entry.Answer;
        }

        Remove(key, entry);
        return null;
    }

    public void Keep((string Name, QueryType Type) key, DnsAnswer answer, DateTimeOffset now)
    {
        var lifetime = Min(answer.Lifetime, options.MaximumCacheAge);
        if (!answer.FromResolver)
        {
            lifetime = Min(lifetime, options.MaximumAuthoritativeAge);
        }

        if (!answer.Answered || lifetime <= TimeSpan.Zero)
        {
            return;
        }

        if (Interlocked.Increment(ref _kept) % _sweepEvery == 0)
        {
            Sweep(now);
        }

        var entry = (answer, now + lifetime);
        if (Volatile.Read(ref _held) < options.CacheCapacity && _answers.TryAdd(key, entry))
        {
            Interlocked.Increment(ref _held);
        }
        else if (_answers.ContainsKey(key))
        {
            // A newer answer to the same question replaces the older: it takes no more room.
            _answers[key] = entry;
        }
    }

    private static TimeSpan Min(TimeSpan a, TimeSpan b) => a < b ? a : b;

    private void Remove((string Name, QueryType Type) key, (DnsAnswer Answer, DateTimeOffset Expires) entry)
    {
        if (_answers.TryRemove(KeyValuePair.Create(key, entry)))
        {
            Interlocked.Decrement(ref _held);
        }
    }

    private void Sweep(DateTimeOffset now)
    {
        foreach (var (name, entry) in _answers)
        {
            if (entry.Expires <= now)
            {
                Remove(name, entry);
            }
        }

        Volatile.Write(ref _held, _answers.Count);
    }
}
