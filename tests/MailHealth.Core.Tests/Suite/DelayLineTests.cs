using MailHealth.Testing.Latency;
using Microsoft.Extensions.Time.Testing;

namespace MailHealth.Core.Tests.Suite;

/// <summary>
/// The delay queue behind the latency proxies (bench/README.md), on a fake clock: an item leaves
/// exactly one delay after it was posted, items keep their order, items posted together leave
/// together (one wait per item, never one after another), and a full line holds the sender back.
/// </summary>
public sealed class DelayLineTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan Delay = TimeSpan.FromMilliseconds(100);

    [Fact]
    public async Task Items_LeaveOneDelayAfterPosting_InOrder_AllAtOnce()
    {
        var time = new FakeTimeProvider();
        var line = new DelayLine<int>(new LinkDelay(Delay), time, 16);
        var delivered = new Delivered<int>(3);
        using var stop = new CancellationTokenSource();
        var pump = line.PumpAsync(delivered.AddAsync, null, stop.Token);

        foreach (var i in new[] { 1, 2, 3 })
        {
            await line.PostAsync(i, CancellationToken.None);
        }

        time.Advance(Delay - TimeSpan.FromMilliseconds(1));
        Assert.Empty(delivered.Items);
        // One more millisecond and the three are due together: a queue that waited once per item in turn would need three delays.
        time.Advance(TimeSpan.FromMilliseconds(1));
        await delivered.All.WaitAsync(Bound);
        Assert.Equal([1, 2, 3], delivered.Items);

        line.Complete();
        await pump.WaitAsync(Bound);
    }

    [Fact]
    public async Task AnItemPostedLater_WaitsItsOwnDelay_AndAChangedDelayAppliesToLaterItemsOnly()
    {
        var time = new FakeTimeProvider();
        var delay = new LinkDelay(Delay);
        var line = new DelayLine<string>(delay, time, 16);
        var first = new Delivered<string>(1);
        var delivered = new Delivered<string>(3);
        using var stop = new CancellationTokenSource();
        var pump = line.PumpAsync(async (item, ct) =>
        {
            await first.AddAsync(item, ct);
            await delivered.AddAsync(item, ct);
        }, null, stop.Token);

        await line.PostAsync("early", CancellationToken.None);
        time.Advance(Delay / 2);
        await line.PostAsync("late", CancellationToken.None);
        delay.OneWay = Delay * 3;
        await line.PostAsync("slow", CancellationToken.None);
        time.Advance(Delay / 2);
        await first.All.WaitAsync(Bound);
        Assert.Equal(["early"], delivered.Items);

        time.Advance(Delay / 2);
        await WaitForAsync(() => delivered.Items.Count == 2);
        Assert.Equal(["early", "late"], delivered.Items);
        // "slow" was posted at half a delay with three delays to go: due at 3.5 delays, not before.
        time.Advance(Delay * 1.9);
        Assert.Equal(2, delivered.Items.Count);
        time.Advance(Delay * 0.1);
        await delivered.All.WaitAsync(Bound);
        Assert.Equal(["early", "late", "slow"], delivered.Items);

        line.Complete();
        await pump.WaitAsync(Bound);
    }

    [Fact]
    public async Task AFullLine_HoldsTheSenderBack_UntilAnItemLeaves()
    {
        var time = new FakeTimeProvider();
        var line = new DelayLine<int>(new LinkDelay(Delay), time, 2);
        var delivered = new Delivered<int>(3);
        using var stop = new CancellationTokenSource();

        await line.PostAsync(1, CancellationToken.None);
        await line.PostAsync(2, CancellationToken.None);
        var third = line.PostAsync(3, CancellationToken.None).AsTask();
        Assert.False(third.IsCompleted);

        var pump = line.PumpAsync(delivered.AddAsync, null, stop.Token);
        time.Advance(Delay);
        await third.WaitAsync(Bound);
        time.Advance(Delay);
        await delivered.All.WaitAsync(Bound);
        Assert.Equal([1, 2, 3], delivered.Items);

        line.Complete();
        await pump.WaitAsync(Bound);
    }

    [Fact]
    public async Task AStoppedPump_HandsWhatIsLeftToDiscard()
    {
        var time = new FakeTimeProvider();
        var line = new DelayLine<int>(new LinkDelay(Delay), time, 16);
        var discarded = new List<int>();
        using var stop = new CancellationTokenSource();
        await line.PostAsync(1, CancellationToken.None);
        await line.PostAsync(2, CancellationToken.None);
        var pump = line.PumpAsync((_, _) => ValueTask.CompletedTask, i =>
        {
            lock (discarded)
            {
                discarded.Add(i);
            }
        }, stop.Token);

        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => pump.WaitAsync(Bound));
        Assert.Equal([1, 2], discarded.Order());
    }

    private static async Task WaitForAsync(Func<bool> condition)
    {
        using var bound = new CancellationTokenSource(Bound);
        while (!condition())
        {
            await Task.Delay(5, bound.Token);
        }
    }

    /// <summary>What the pump handed on, and a signal when <c>expected</c> items have been.</summary>
    private sealed class Delivered<T>(int expected)
    {
        private readonly TaskCompletionSource _all = new(TaskCreationOptions.RunContinuationsAsynchronously);
        private readonly List<T> _items = [];

        public Task All => _all.Task;

        public IReadOnlyList<T> Items
        {
            get
            {
                lock (_items)
                {
                    return [.. _items];
                }
            }
        }

        public ValueTask AddAsync(T item, CancellationToken cancellationToken)
        {
            lock (_items)
            {
                _items.Add(item);
                if (_items.Count == expected)
                {
                    _all.TrySetResult();
                }
            }

            return ValueTask.CompletedTask;
        }
    }
}
