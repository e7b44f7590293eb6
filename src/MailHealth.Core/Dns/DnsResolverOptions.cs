using System.Net;

namespace MailHealth.Dns;

/// <summary>Where and how the checker asks DNS questions.</summary>
public sealed class DnsResolverOptions
{
    /// <summary>Servers to ask. Empty: the machine's resolvers (/etc/resolv.conf).</summary>
    public IReadOnlyList<IPEndPoint> Servers { get; init; } = [];

    /// <summary>Time for one attempt at one server. Default 3 s (DnsClient's own is 5 s).</summary>
    public TimeSpan Timeout { get; init; } = TimeSpan.FromSeconds(3);

    /// <summary>Further attempts after a timeout. Default 1.</summary>
    public int Retries { get; init; } = 1;

    /// <summary>Share answers across runs, process-wide, for their TTL (negative answers: the SOA's, RFC 2308), at most <see cref="MaximumCacheAge"/>. Default false: a run's own view (<see cref="DnsResolver.ForRun"/>) shares answers within the run.</summary>
    public bool UseCache { get; init; }

    /// <summary>
    /// No answer is kept longer than this, whatever its TTL, so a monitor sees a changed record
    /// within one cycle. Default 1 minute.
    /// </summary>
    public TimeSpan MaximumCacheAge { get; init; } = TimeSpan.FromMinutes(1);
}
