using System.Collections.Concurrent;

namespace MailHealth.Smtp;

/// <summary>
/// The probes' sessions that are closing: QUIT sent, its reply awaited apart from the probe.
/// RFC 5321 section 4.1.1.10 says a client SHOULD wait for the reply to QUIT before it closes,
/// but nothing in that reply changes a verdict, so a probe is judged, and its slots freed, as soon
/// as QUIT is on its way; the session closes here once the server answers, or after the command
/// timeout. A process that ends after its checks (<c>mailhealth check</c>) waits for them with
/// <see cref="DrainAsync"/>, so that no server sees its probe hang up before the reply.
/// </summary>
public sealed class SmtpClosings
{
    private readonly ConcurrentDictionary<Task, byte> _closing = new();

    /// <summary>The one set of the process.</summary>
    public static SmtpClosings Shared { get; } = new();

    /// <summary>Sessions still closing.</summary>
    public int Count => _closing.Count;

    /// <summary>Completes when every session closing now has closed.</summary>
    public Task DrainAsync() => Task.WhenAll(_closing.Keys);

    /// <summary>Keeps <paramref name="closing"/> (which never throws) until it completes.</summary>
    internal void Track(Task closing)
    {
        if (closing.IsCompleted)
        {
            return;
        }

        _closing.TryAdd(closing, 0);
        _ = closing.ContinueWith(static (done, state) => ((ConcurrentDictionary<Task, byte>)state!).TryRemove(done, out _), _closing,
            CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
    }
}
