using System.Net;
using MailHealth.Dns;

namespace MailHealth.Testing;

/// <summary>
/// The test resolver (unbound on $MH_NET.0.55, eng/peers/start.d/95-unbound.sh): it answers every
/// test zone that Knot serves and follows Knot's delegations of the blocklist zones to rbldnsd.
/// Pass it as <c>--dns</c> when one server must answer everything.
/// </summary>
public static class RecursivePeer
{
    public static IPEndPoint Endpoint => new(Peers.Address(0, 55), 53);

    /// <summary>A resolver asking only the test resolver, without a client cache; it asks again once after a silence, as <see cref="Peers.Resolver"/> does.</summary>
    public static DnsResolver Resolver(TimeSpan? timeout = null) => new(new DnsResolverOptions
    {
        Servers = [Endpoint],
        Timeout = timeout ?? TimeSpan.FromSeconds(2),
        Retries = 1,
        UseCache = false,
    });
}
