using System.Collections.Concurrent;

namespace MailHealth.Smtp;

/// <summary>
/// The probes' sessions that are closing: QUIT sent, its reply awaited apart from the probe.
/// RFC 5321 section 4.1.1.10 says a client SHOULD wait for the reply to QUIT before it closes,
/// but nothing in that reply changes a verdict, so a probe is judged, and its slots freed, as soon
/// as QUIT is on its way; the session closes here once the server answers, or after the command
/// timeout. At most <see cref="MaxClosing"/> sessions close apart: past that, a probe waits for its
/// own reply as before, so servers that hold their reply cannot pile up open sockets beyond
/// <c>Network:MaxConcurrency</c>. A process that ends after its checks (<c>mailhealth check</c>)
/// waits for them with <see cref="DrainAsync"/>, so that no server sees its probe hang up before
/// the reply.
/// </summary>
public sealed class SmtpClosings(int maxClosing = SmtpClosings.DefaultMaxClosing)
{
    /// <summary>Sessions closing apart at once, beyond the probes in flight: a round trip's worth of a busy fleet's probes.</summary>
    public const int DefaultMaxClosing = 256;

    private readonly ConcurrentDictionary<Task, byte> _closing = new();
    private int _count;

    /// <summary>The one set of the process.</summary>
    public static SmtpClosings Shared { get; } = new();

    /// <summary>How many sessions may close apart at once.</summary>
    public int MaxClosing { get; } = maxClosing > 0 ? maxClosing : throw new ArgumentOutOfRangeException(nameof(maxClosing));

    /// <summary>Sessions still closing.</summary>
    public int Count => Volatile.Read(ref _count);

    /// <summary>Completes when every session closing now has closed.</summary>
    public Task DrainAsync() => Task.WhenAll(_closing.Keys);

    /// <summary>
    /// Keeps <paramref name="closing"/> (which never throws) until it completes, and says true; says
    /// false when <see cref="MaxClosing"/> sessions are closing already, and the caller awaits it itself.
    /// </summary>
    public bool TryTrack(Task closing)
    {
        ArgumentNullException.ThrowIfNull(closing);
        if (closing.IsCompleted)
        {
            return true;
        }

        if (Interlocked.Increment(ref _count) > MaxClosing)
        {
            Interlocked.Decrement(ref _count);
            return false;
        }

        _closing.TryAdd(closing, 0);
        _ = closing.ContinueWith(
            static (done, state) =>
            {
                var closings = (SmtpClosings)state!;
                closings._closing.TryRemove(done, out _);
                Interlocked.Decrement(ref closings._count);
            },
            this,
            CancellationToken.None,
            TaskContinuationOptions.ExecuteSynchronously,
            TaskScheduler.Default);
        return true;
    }
}
