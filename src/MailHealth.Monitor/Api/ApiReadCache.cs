using System.Collections.Concurrent;
using MailHealth.Monitor.Caching;
using Microsoft.Extensions.Caching.Memory;
using Microsoft.Extensions.Options;

namespace MailHealth.Monitor.Api;

/// <summary>
/// The API's bounded in-process cache of what it read from storage (docs/api.md, Caching): values
/// under their route and normalised query, each kept at most one cycle
/// (<see cref="MonitorSettings.Interval"/>), so other processes' writes show within a cycle, and
/// dropped as soon as this process writes something they depend on (<see cref="WriteClock"/>).
/// Bounded in bytes (<see cref="ApiSettings.ReadCacheBytes"/>): each entry counts its content, its
/// key and a fixed overhead, so the number of entries is bounded too, and one larger than an
/// eighth of the budget is not kept; past the budget the least recently used go.
/// Callers that miss one key at once can share one storage read (<see cref="ReadOnceAsync"/>).
/// Only what a read found goes in: never a 404, a 503 or a 500 (a read that throws keeps nothing),
/// and nothing but stored monitoring data. Keys are checked before a handler runs
/// (<see cref="ApiInvoker"/>), so a caller who may not read gets nothing from it.
/// </summary>
public sealed class ApiReadCache : IDisposable
{
    /// <summary>What an entry costs beyond its content and key: the entry, its record and the cache's bookkeeping.</summary>
    private const long EntryOverhead = 256;

    private readonly MemoryCache? _cache;
    private readonly WriteClock _writes;
    private readonly TimeSpan _maxAge;
    private readonly long _largestEntry;
    private readonly ConcurrentDictionary<string, Task<SharedRead>> _reading = new(StringComparer.Ordinal);
    private long _hits;
    private long _misses;

    public ApiReadCache(WriteClock writes, IOptions<ApiSettings> settings, IOptions<MonitorSettings> monitor, TimeProvider time)
    {
        ArgumentNullException.ThrowIfNull(settings);
        ArgumentNullException.ThrowIfNull(monitor);
        _writes = writes;
        _maxAge = monitor.Value.Interval;
        var budget = settings.Value.ReadCacheBytes;
        _largestEntry = budget / 8;
        if (budget > 0)
        {
            _cache = new MemoryCache(new MemoryCacheOptions
            {
                SizeLimit = budget,
                Clock = new TimeProviderClock(time),
                TrackStatistics = true,
                // Room for the entry that did not fit, and for the next ones, at once.
                CompactionPercentage = 0.25,
            });
        }
    }

    /// <summary>What is kept now, and how lookups went since the process started.</summary>
    public ReadCacheStatistics Statistics
    {
        get
        {
            var current = _cache?.GetCurrentStatistics();
            return new ReadCacheStatistics(
                current?.CurrentEntryCount ?? 0,
                current?.CurrentEstimatedSize ?? 0,
                Interlocked.Read(ref _hits),
                Interlocked.Read(ref _misses));
        }
    }

    /// <summary>The write clock now: taken before storage is read, and given to <see cref="Set"/> with what was read.</summary>
    public long Mark() => _writes.Now;

    /// <summary>The value kept under <paramref name="key"/>, unless it is a cycle old or this process wrote what it depends on since it was read.</summary>
    public T? Get<T>(string key)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(key);
        if (_cache is not null && _cache.TryGetValue(key, out Entry? entry) && entry is not null)
        {
            if (entry.Value is T value && !_writes.WrittenSince(entry.ReadAt, entry.Scope))
            {
                Interlocked.Increment(ref _hits);
                return value;
            }

            _cache.Remove(key);
        }

        Interlocked.Increment(ref _misses);
        return null;
    }

    /// <summary>
    /// Keeps <paramref name="value"/> (about <paramref name="bytes"/> bytes) read from storage after
    /// <paramref name="readAt"/> (<see cref="Mark"/>), unless this process wrote what it depends on
    /// (<paramref name="scope"/>) since: the read may have begun before that write ended. Kept one
    /// cycle, or <paramref name="maxAge"/> when shorter.
    /// </summary>
    public void Set(string key, object value, long bytes, ReadScope scope, long readAt, TimeSpan? maxAge = null)
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(value);
        ArgumentNullException.ThrowIfNull(scope);
        if (_cache is null)
        {
            return;
        }

        var size = bytes + (2L * key.Length) + scope.Bytes + EntryOverhead;
        if (size <= _largestEntry && !_writes.WrittenSince(readAt, scope))
        {
            _cache.Set(key, new Entry(value, scope, readAt), new MemoryCacheEntryOptions { Size = size, AbsoluteExpirationRelativeToNow = maxAge < _maxAge ? maxAge : _maxAge });
        }
    }

    /// <summary>
    /// One read of storage for all who miss <paramref name="key"/> at once (a fleet of dashboards
    /// refreshing after a cycle's runs would otherwise read each status as many times as there are
    /// dashboards): <paramref name="read"/> is given the write clock as it began (for
    /// <see cref="Set"/>); a caller who joins a read takes its value unless this process wrote what
    /// <paramref name="scope"/> depends on after it began, and reads for itself when the read it
    /// joined was given up by the request that began it. A read that fails fails all who joined it.
    /// </summary>
    public async Task<T?> ReadOnceAsync<T>(string key, ReadScope scope, Func<long, CancellationToken, Task<T?>> read, CancellationToken cancellationToken)
        where T : class
    {
        ArgumentNullException.ThrowIfNull(key);
        ArgumentNullException.ThrowIfNull(scope);
        ArgumentNullException.ThrowIfNull(read);
        while (true)
        {
            var mine = new TaskCompletionSource<SharedRead>(TaskCreationOptions.RunContinuationsAsynchronously);
            var shared = _reading.GetOrAdd(key, mine.Task);
            if (shared == mine.Task)
            {
                return (T?)await ReadSharedAsync(key, mine, read, cancellationToken).ConfigureAwait(false);
            }

            try
            {
                var joined = await shared.WaitAsync(cancellationToken).ConfigureAwait(false);
                if (!_writes.WrittenSince(joined.ReadAt, scope))
                {
                    return (T?)joined.Value;
                }
            }
            catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
            {
                // The request that began the read gave up on it; this one has not.
            }
        }
    }

    public void Dispose() => _cache?.Dispose();

    private async Task<object?> ReadSharedAsync<T>(string key, TaskCompletionSource<SharedRead> mine, Func<long, CancellationToken, Task<T?>> read, CancellationToken cancellationToken)
        where T : class
    {
        // Out of the list of reads under way before its end is told: who comes after joins none.
        var entry = new KeyValuePair<string, Task<SharedRead>>(key, mine.Task);
        var readAt = Mark();
        T? value;
        try
        {
            value = await read(readAt, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            _reading.TryRemove(entry);
            mine.SetException(e);
            // Observed here: nobody may have joined.
            _ = mine.Task.Exception;
            throw;
        }

        _reading.TryRemove(entry);
        mine.SetResult(new SharedRead(value, readAt));
        return value;
    }

    private sealed record Entry(object Value, ReadScope Scope, long ReadAt);

    private sealed record SharedRead(object? Value, long ReadAt);
}

/// <summary>The read cache's entries and their estimated bytes now; its hits and misses so far.</summary>
public sealed record ReadCacheStatistics(long Entries, long Bytes, long Hits, long Misses);
