using System.Threading.Channels;

namespace MailHealth.Testing.Latency;

/// <summary>
/// A first-in first-out queue that hands each item on once the link's one-way delay has passed
/// since it was posted: one direction of one emulated link. One pump drains it and waits once per
/// item (a packet or a chunk of a stream), never per byte; since every item waits the same delay
/// they come due in the order they were posted, so order is kept and items posted together leave
/// together. Bounded: a sender faster than the receiver waits, as behind a full TCP window.
/// </summary>
public sealed class DelayLine<T>
{
    private readonly Channel<(long Due, T Item)> _items;
    private readonly LinkDelay _delay;
    private readonly TimeProvider _time;

    /// <param name="capacity">Items on the way at most; <see cref="PostAsync"/> waits beyond it.</param>
    public DelayLine(LinkDelay delay, TimeProvider time, int capacity)
    {
        _delay = delay;
        _time = time;
        // Synchronous continuations: a post hands the item to a waiting pump on the poster's thread,
        // which reads the clock and starts its wait before the post returns. Otherwise a test that
        // advances a fake clock right after posting can do so between the pump reading the clock and
        // starting its wait, and the wait, started late, never comes due.
        _items = Channel.CreateBounded<(long, T)>(new BoundedChannelOptions(capacity) { SingleReader = true, AllowSynchronousContinuations = true });
    }

    /// <summary>Items posted and not yet handed on (for tests: proof that an item is on its way).</summary>
    public int Count => _items.Reader.Count;

    /// <summary>Puts <paramref name="item"/> on the link; it is due one delay from now.</summary>
    public ValueTask PostAsync(T item, CancellationToken cancellationToken)
    {
        // In whole clock ticks, without rounding through a double.
        var due = _time.GetTimestamp() + (long)((Int128)_delay.OneWay.Ticks * _time.TimestampFrequency / TimeSpan.TicksPerSecond);
        return _items.Writer.WriteAsync((due, item), cancellationToken);
    }

    /// <summary>Nothing more will be posted: the pump ends once the items on the way are handed on.</summary>
    public void Complete() => _items.Writer.TryComplete();

    /// <summary>Hands each item to <paramref name="deliver"/> when it is due, in order, until <see cref="Complete"/>.</summary>
    /// <param name="discard">Called for items left on the line when the pump stops early (to return their buffers).</param>
    public async Task PumpAsync(Func<T, CancellationToken, ValueTask> deliver, Action<T>? discard, CancellationToken cancellationToken)
    {
        try
        {
            await foreach (var (due, item) in _items.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                try
                {
                    // Timers count whole milliseconds of a coarse clock and may wake a little early:
                    // wait again until the item is due, so nothing ever leaves before its time.
                    TimeSpan wait;
                    while ((wait = _time.GetElapsedTime(_time.GetTimestamp(), due)) > TimeSpan.Zero)
                    {
                        await Task.Delay(TimeSpan.FromMilliseconds(Math.Ceiling(wait.TotalMilliseconds)), _time, cancellationToken).ConfigureAwait(false);
                    }
                }
                catch
                {
                    discard?.Invoke(item);
                    throw;
                }

                await deliver(item, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            _items.Writer.TryComplete();
            while (discard is not null && _items.Reader.TryRead(out var left))
            {
                discard(left.Item);
            }
        }
    }
}
