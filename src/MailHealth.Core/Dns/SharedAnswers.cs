using System.Collections.Concurrent;
using DnsClient;
using MailHealth.Sharing;

namespace MailHealth.Dns;

/// <summary>
/// Answers kept across runs (<see cref="DnsResolverOptions.UseCache"/>): each for its own
/// <see cref="DnsAnswer.Lifetime"/>, never longer than the configured maximum, so a monitor
/// still reads a changed record within one cycle. Only answers are kept (records, no data, no
/// such name); a timeout or a server failure is asked again by the next run.
/// <para>
/// An answer is kept only when its question comes a second time: most questions of a fleet are
/// one domain's own (its MX, its SPF, its DKIM selectors) and never come again, while the shared
/// ones (a provider's mail hosts, their TLSA, the DMARC walk's upper names, a blocklist's answer
/// for a shared address) come once per target. A <see cref="Doorkeeper"/> remembers what was
/// asked once, so memory stays flat however many targets pass through: the table, and the
/// shared answers.
/// </para>
/// </summary>
internal sealed class SharedAnswers(TimeSpan maximumAge)
{
    /// <summary>The most answers kept at once: a fleet shares far fewer names than this.</summary>
    public const int Capacity = 4096;

    private const int SweepEvery = 256;
    private readonly ConcurrentDictionary<(string Name, QueryType Type), (DnsAnswer Answer, DateTimeOffset Expires)> _answers = new();
    private readonly Doorkeeper _doorkeeper = new();
    private int _kept;

    /// <summary>Answers held now (expired ones included until the next sweep).</summary>
    public int Count => _answers.Count;

    public DnsAnswer? Recall((string Name, QueryType Type) key, DateTimeOffset now) =>
        _answers.TryGetValue(key, out var entry) && entry.Expires > now ? entry.Answer : null;

    public void Keep((string Name, QueryType Type) key, DnsAnswer answer, DateTimeOffset now)
    {
        var lifetime = answer.Lifetime < maximumAge ? answer.Lifetime : maximumAge;
        if (!answer.Answered || lifetime <= TimeSpan.Zero || !_doorkeeper.AskedBefore(key))
        {
            return;
        }

        // Swept at a fixed pace, never on every call: a full table of live answers refuses new
        // ones until the next sweep frees room, instead of costing each query a walk of it.
        if (Interlocked.Increment(ref _kept) % SweepEvery == 0)
        {
            Sweep(now);
        }

        if (_answers.Count < Capacity)
        {
            _answers[key] = (answer, now + lifetime);
        }
    }

    private void Sweep(DateTimeOffset now)
    {
        foreach (var (name, entry) in _answers)
        {
            if (entry.Expires <= now)
            {
                _answers.TryRemove(KeyValuePair.Create(name, entry));
            }
        }
    }
}
