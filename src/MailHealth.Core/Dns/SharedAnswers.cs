using System.Collections.Concurrent;
using DnsClient;

namespace MailHealth.Dns;

/// <summary>
/// Answers kept across runs (<see cref="DnsResolverOptions.UseCache"/>): each for its own
/// <see cref="DnsAnswer.Lifetime"/>, never longer than the configured maximum, so a monitor
/// still reads a changed record within one cycle. Only answers are kept (records, no data, no
/// such name); a timeout or a server failure is asked again by the next run. Expired entries are
/// swept as new ones arrive, so memory holds what was read within the maximum age.
/// </summary>
internal sealed class SharedAnswers(TimeSpan maximumAge)
{
    private const int SweepEvery = 1024;
    private readonly ConcurrentDictionary<(string Name, QueryType Type), (DnsAnswer Answer, DateTimeOffset Expires)> _answers = new();
    private int _kept;

    public DnsAnswer? Recall((string Name, QueryType Type) key, DateTimeOffset now) =>
        _answers.TryGetValue(key, out var entry) && entry.Expires > now ? entry.Answer : null;

    public void Keep((string Name, QueryType Type) key, DnsAnswer answer, DateTimeOffset now)
    {
        var lifetime = answer.Lifetime < maximumAge ? answer.Lifetime : maximumAge;
        if (!answer.Answered || lifetime <= TimeSpan.Zero)
        {
            return;
        }

        _answers[key] = (answer, now + lifetime);
        if (Interlocked.Increment(ref _kept) % SweepEvery == 0)
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
}
