using System.Net;

namespace MailHealth.Dns;

/// <summary>Where and how the checker asks DNS questions.</summary>
public sealed class DnsResolverOptions
{
    /// <summary>About 16 answers per domain (a few hundred bytes each, 2.3 KB for a 2048-bit DKIM key): enough for 12,000 domains in about 100 MB.</summary>
    public const int DefaultCacheCapacity = 200_000;

    /// <summary>Servers to ask. Empty: the machine's resolvers (/etc/resolv.conf).</summary>
    public IReadOnlyList<IPEndPoint> Servers { get; init; } = [];

    /// <summary>Time for one attempt at one server. Default 3 s (DnsClient's own is 5 s).</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>Further attempts after a timeout. Default 1.</summary>
    public int Retries { get; init; } = 1;

    /// <summary>
    /// Share answers across runs, process-wide, for their TTL (negative answers: the SOA's,
    /// RFC 2308), bounded as <see cref="SharedAnswers"/> says. Default false: a run's own view
    /// (<see cref="DnsResolver.ForRun"/>) shares answers within the run.
    /// </summary>
    public bool UseCache { get; init; }

    /// <summary>No answer is kept longer than this, whatever its TTL. Default 1 hour.</summary>
    public TimeSpan MaximumCacheAge { get; init; } = TimeSpan.FromHours(1);

    /// <summary>
    /// An answer that did not come from a caching resolver (given with authority, or by a server
    /// that offers no recursion) is kept at most this long, so a changed record is read at the
    /// next cycle. Default 1 hour; the monitor's is half its interval.
    /// </summary>
    public TimeSpan MaximumAuthoritativeAge { get; init; } = TimeSpan.FromHours(1);

    /// <summary>The most answers kept at once. Default <see cref="DefaultCacheCapacity"/>.</summary>
    public int CacheCapacity { get; init; } = DefaultCacheCapacity;
}
