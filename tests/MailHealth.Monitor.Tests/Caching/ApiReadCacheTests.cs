using MailHealth.Monitor.Api;
using MailHealth.Monitor.Caching;
using Microsoft.Extensions.Options;
using Microsoft.Extensions.Time.Testing;

namespace MailHealth.Monitor.Tests.Caching;

/// <summary>The API's read cache alone, on a fake clock: kept a cycle at most, dropped by this process's writes, bounded in bytes.</summary>
public sealed class ApiReadCacheTests
{
    private static readonly TimeSpan Interval = TimeSpan.FromMinutes(5);

    private readonly FakeTimeProvider _time = new(new DateTimeOffset(2026, 12, 1, 10, 0, 0, TimeSpan.Zero));
    private readonly WriteClock _writes = new();

    [Fact]
    public void Kept_UntilOneIntervalHasPassed()
    {
        using var cache = Cache(1024 * 1024);
        cache.Set("status/shop", Body("one"), 100, ReadScope.Target("shop"), cache.Mark());

        _time.Advance(Interval - TimeSpan.FromSeconds(1));
        Assert.Equal("one", Text(cache.Get<CachedBody>("status/shop")));

        _time.Advance(TimeSpan.FromSeconds(1));
        Assert.Null(cache.Get<CachedBody>("status/shop"));
        Assert.Equal(1, cache.Statistics.Hits);
        Assert.Equal(1, cache.Statistics.Misses);
    }

    [Fact]
    public void AWriteOfThisProcess_DropsWhatDependsOnIt()
    {
        using var cache = Cache(1024 * 1024);
        cache.Set("status/shop", Body("shop"), 100, ReadScope.Target("shop"), cache.Mark());
        cache.Set("status/blog", Body("blog"), 100, ReadScope.Target("blog"), cache.Mark());
        cache.Set("alerts", Body("alerts"), 100, ReadScope.Fleet, cache.Mark());

        _writes.Wrote("shop");

        Assert.Null(cache.Get<CachedBody>("status/shop"));
        Assert.Null(cache.Get<CachedBody>("alerts"));
        Assert.Equal("blog", Text(cache.Get<CachedBody>("status/blog")));
    }

    [Fact]
    public void ACopyReadWhileThisProcessWrote_IsNotKept()
    {
        using var cache = Cache(1024 * 1024);
        var readAt = cache.Mark();

        // The read started before the write ended: what it found may be from before the write.
        _writes.Wrote("shop");
        cache.Set("status/shop", Body("maybe old"), 100, ReadScope.Target("shop"), readAt);

        Assert.Null(cache.Get<CachedBody>("status/shop"));
    }

    [Fact]
    public void Bounded_TheLeastRecentlyUsedGoFirst_AndTheBudgetIsNeverExceeded()
    {
        const long Budget = 1024 * 1024;
        const int Entry = 110 * 1024;
        using var cache = Cache(Budget);

        // Nine entries fit (about 990 KiB); each read a second later than the one before, the first never again.
        for (var i = 1; i <= 9; i++)
        {
            cache.Set($"page/{i}", Body($"{i}"), Entry, ReadScope.Target($"t{i}"), cache.Mark());
        }

        for (var i = 2; i <= 9; i++)
        {
            _time.Advance(TimeSpan.FromSeconds(1));
            Assert.NotNull(cache.Get<CachedBody>($"page/{i}"));
        }

        Assert.Equal(9, cache.Statistics.Entries);

        // The tenth does not fit: the cache makes room, from the least recently used.
        cache.Set("page/10", Body("10"), Entry, ReadScope.Target("t10"), cache.Mark());
        Assert.True(cache.Statistics.Bytes <= Budget);
        WaitUntil(() => cache.Statistics.Entries < 9, "the cache makes room");

        Assert.Null(cache.Get<CachedBody>("page/1"));
        Assert.NotNull(cache.Get<CachedBody>("page/9"));
        cache.Set("page/11", Body("11"), Entry, ReadScope.Target("t11"), cache.Mark());
        Assert.NotNull(cache.Get<CachedBody>("page/11"));
        Assert.True(cache.Statistics.Bytes <= Budget);
    }

    [Fact]
    public void AnEntryOverAnEighthOfTheBudget_IsNotKept()
    {
        using var cache = Cache(1024 * 1024);

        cache.Set("history/big", Body("big"), 200 * 1024, ReadScope.Target("shop"), cache.Mark());

        Assert.Null(cache.Get<CachedBody>("history/big"));
    }

    [Fact]
    public void Off_KeepsNothing()
    {
        using var cache = Cache(0);

        cache.Set("status/shop", Body("shop"), 100, ReadScope.Target("shop"), cache.Mark());

        Assert.Null(cache.Get<CachedBody>("status/shop"));
        Assert.Equal(0, cache.Statistics.Entries);
    }

    [Fact]
    public async Task CallersThatMissAtOnce_ShareOneRead()
    {
        using var cache = Cache(1024 * 1024);
        var release = new TaskCompletionSource();
        var reads = 0;
        async Task<CachedBody?> ReadAsync(long readAt, CancellationToken ct)
        {
            Interlocked.Increment(ref reads);
            await release.Task.WaitAsync(ct);
            return Body("shop");
        }

        var first = cache.ReadOnceAsync("status/shop", ReadScope.Target("shop"), ReadAsync, CancellationToken.None);
        var second = cache.ReadOnceAsync("status/shop", ReadScope.Target("shop"), ReadAsync, CancellationToken.None);
        release.SetResult();

        Assert.Equal("shop", Text(await first));
        Assert.Equal("shop", Text(await second));
        Assert.Equal(1, reads);
    }

    [Fact]
    public async Task ACallerWhoseTargetWasWrittenDuringTheRead_ReadsAgain()
    {
        using var cache = Cache(1024 * 1024);
        var release = new TaskCompletionSource();
        var reads = 0;
        async Task<CachedBody?> ReadAsync(long readAt, CancellationToken ct)
        {
            var n = Interlocked.Increment(ref reads);
            if (n == 1)
            {
                await release.Task.WaitAsync(ct);
            }

            return Body($"read {n}");
        }

        var before = cache.ReadOnceAsync("status/shop", ReadScope.Target("shop"), ReadAsync, CancellationToken.None);
        _writes.Wrote("shop");
        var after = cache.ReadOnceAsync("status/shop", ReadScope.Target("shop"), ReadAsync, CancellationToken.None);
        release.SetResult();

        // The first caller asked before the write: what it read is as good as storage then.
        Assert.Equal("read 1", Text(await before));
        Assert.Equal("read 2", Text(await after));
    }

    [Fact]
    public async Task AReadGivenUpByItsRequest_IsReadAgainForWhoJoinedIt()
    {
        using var cache = Cache(1024 * 1024);
        using var givenUp = new CancellationTokenSource();
        var reads = 0;
        async Task<CachedBody?> ReadAsync(long readAt, CancellationToken ct)
        {
            if (Interlocked.Increment(ref reads) == 1)
            {
                await Task.Delay(Timeout.Infinite, ct);
            }

            return Body("shop");
        }

        var first = cache.ReadOnceAsync("status/shop", ReadScope.Target("shop"), ReadAsync, givenUp.Token);
        var second = cache.ReadOnceAsync("status/shop", ReadScope.Target("shop"), ReadAsync, CancellationToken.None);
        await givenUp.CancelAsync();

        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => first);
        Assert.Equal("shop", Text(await second));
        Assert.Equal(2, reads);
    }

    [Fact]
    public async Task AFailedRead_FailsWhoJoinedIt_AndKeepsNothing()
    {
        using var cache = Cache(1024 * 1024);
        var release = new TaskCompletionSource();
        async Task<CachedBody?> ReadAsync(long readAt, CancellationToken ct)
        {
            await release.Task.WaitAsync(ct);
            throw new InvalidOperationException("storage said no");
        }

        var first = cache.ReadOnceAsync("status/shop", ReadScope.Target("shop"), ReadAsync, CancellationToken.None);
        var second = cache.ReadOnceAsync("status/shop", ReadScope.Target("shop"), ReadAsync, CancellationToken.None);
        release.SetResult();

        await Assert.ThrowsAsync<InvalidOperationException>(() => first);
        await Assert.ThrowsAsync<InvalidOperationException>(() => second);
        Assert.Null(cache.Get<CachedBody>("status/shop"));
    }

    private static CachedBody Body(string text) => CachedBody.OfText(text);

    private static string? Text(CachedBody? body) => body is null ? null : System.Text.Encoding.UTF8.GetString(body.Content.Span);

    // Compaction runs on the thread pool: waited for with a bound, never a fixed sleep.
    private static void WaitUntil(Func<bool> condition, string what) =>
        Assert.True(SpinWait.SpinUntil(condition, TimeSpan.FromSeconds(10)), $"never happened: {what}");

    private ApiReadCache Cache(long bytes) => new(
        _writes,
        Options.Create(new ApiSettings { ReadCacheBytes = bytes }),
        Options.Create(new MonitorSettings { Interval = Interval }),
        _time);
}
