using System.Net;

namespace MailHealth.Network;

/// <summary>
/// The address policy's table: the IANA IPv4 and IPv6 Special-Purpose Address Registries (RFC 6890
/// and the RFCs that added to them), multicast and the IPv6 space outside global unicast from the
/// IANA address-space registries, and the cloud platforms' own addresses. An address takes the rule
/// of the most specific range holding it, so an entry the registry marks globally reachable inside a
/// reserved block (the anycast addresses in 192.0.0.0/24) stays public. IPv4 outside every range is
/// public. How each rule was chosen: docs/address-policy.md.
/// </summary>
public static class SpecialPurposeRegistry
{
    public static IReadOnlyList<SpecialPurposeRange> All { get; } =
    [
        // IPv4 (IANA IPv4 Special-Purpose Address Registry).
        // "This network" is never a destination; Linux connects 0.0.0.0 to the local host itself.
        Range("0.0.0.0/8", "this network", "RFC 791 section 3.2", AddressRule.Never),
        Range("10.0.0.0/8", "private-use", "RFC 1918", AddressRule.Refused),
        Range("100.64.0.0/10", "shared address space (carrier-grade NAT)", "RFC 6598", AddressRule.Refused),
        Range("127.0.0.0/8", "loopback", "RFC 1122 section 3.2.1.3", AddressRule.Refused),
        Range("169.254.0.0/16", "link-local", "RFC 3927", AddressRule.Never),
        Range("172.16.0.0/12", "private-use", "RFC 1918", AddressRule.Refused),
        Range("192.0.0.0/24", "IETF protocol assignments", "RFC 6890 section 2.1", AddressRule.Refused),
        Range("192.0.0.9/32", "Port Control Protocol anycast", "RFC 7723", AddressRule.Public),
        Range("192.0.0.10/32", "TURN anycast", "RFC 8155", AddressRule.Public),
        Range("192.0.2.0/24", "documentation (TEST-NET-1)", "RFC 5737", AddressRule.Refused),
        Range("192.88.99.0/24", "deprecated 6to4 relay anycast", "RFC 7526", AddressRule.Refused),
        Range("192.168.0.0/16", "private-use", "RFC 1918", AddressRule.Refused),
        Range("198.18.0.0/15", "benchmarking", "RFC 2544", AddressRule.Refused),
        Range("198.51.100.0/24", "documentation (TEST-NET-2)", "RFC 5737", AddressRule.Refused),
        Range("203.0.113.0/24", "documentation (TEST-NET-3)", "RFC 5737", AddressRule.Refused),
        Range("240.0.0.0/4", "reserved", "RFC 1112 section 4", AddressRule.Refused),
        Range("255.255.255.255/32", "limited broadcast", "RFC 919 section 7", AddressRule.Never),

        // IPv4 multicast (IANA IPv4 Multicast Address Space Registry).
        Range("224.0.0.0/4", "multicast", "RFC 5771", AddressRule.Never),

        // The cloud platforms' own services, which answer any caller inside the cloud.
        Range("169.254.169.254/32", "cloud instance metadata (Azure, AWS, Google Cloud)", "the clouds' metadata service documentation", AddressRule.Never),
        Range("168.63.129.16/32", "Azure platform address (WireServer, DNS, health probes)", "Azure's documentation of 168.63.129.16", AddressRule.Never),
        Range("100.100.100.200/32", "Alibaba Cloud instance metadata", "Alibaba Cloud's metadata service documentation", AddressRule.Never),
        Range("fd00:ec2::254/128", "AWS instance metadata (IPv6)", "the AWS instance metadata service documentation", AddressRule.Never),

        // IPv6: only 2000::/3 is global unicast (RFC 4291 section 2.4, IANA IPv6 Address Space);
        // the rest is reserved, unassigned or one of the ranges below.
        Range("::/0", "outside the IPv6 global unicast space", "RFC 4291 section 2.4", AddressRule.Refused),
        Range("2000::/3", "global unicast", "RFC 4291 section 2.4", AddressRule.Public),

        // IPv6 (IANA IPv6 Special-Purpose Address Registry).
        Range("::/128", "unspecified", "RFC 4291 section 2.5.2", AddressRule.Never),
        Range("::1/128", "loopback", "RFC 4291 section 2.5.3", AddressRule.Refused),
        Range("::/96", "IPv4-compatible (deprecated)", "RFC 4291 section 2.5.5.1", AddressRule.Refused, EmbeddedIPv4.Last32Bits),
        // ::ffff:0:0/96, IPv4-mapped (RFC 4291 section 2.5.5.2): AddressPolicy judges the IPv4 address.
        // NAT64 reaches the embedded IPv4 address: public only when that address is.
        Range("64:ff9b::/96", "IPv4/IPv6 translation", "RFC 6052", AddressRule.Public, EmbeddedIPv4.Last32Bits),
        // Local-use NAT64 may embed at other offsets (RFC 6052 section 2.2); the /96 form is judged, the prefix is refused anyway.
        Range("64:ff9b:1::/48", "local-use IPv4/IPv6 translation", "RFC 8215", AddressRule.Refused, EmbeddedIPv4.Last32Bits),
        Range("100::/64", "discard-only", "RFC 6666", AddressRule.Refused),
        Range("2001::/23", "IETF protocol assignments", "RFC 2928", AddressRule.Refused),
        Range("2001::/32", "Teredo", "RFC 4380", AddressRule.Refused, EmbeddedIPv4.TeredoClient),
        Range("2001:1::1/128", "Port Control Protocol anycast", "RFC 7723", AddressRule.Public),
        Range("2001:1::2/128", "TURN anycast", "RFC 8155", AddressRule.Public),
        Range("2001:1::3/128", "DNS-SD service registration protocol anycast", "RFC 9665", AddressRule.Public),
        Range("2001:3::/32", "AMT", "RFC 7450", AddressRule.Public),
        Range("2001:4:112::/48", "AS112-v6", "RFC 7535", AddressRule.Public),
        Range("2001:20::/28", "ORCHIDv2", "RFC 7343", AddressRule.Public),
        Range("2001:30::/28", "drone remote ID protocol entity tags", "RFC 9374", AddressRule.Public),
        Range("2001:db8::/32", "documentation", "RFC 3849", AddressRule.Refused),
        Range("2002::/16", "6to4", "RFC 3056", AddressRule.Refused, EmbeddedIPv4.SixToFour),
        Range("3fff::/20", "documentation", "RFC 9637", AddressRule.Refused),
        Range("5f00::/16", "segment routing (SRv6) SIDs", "RFC 9602", AddressRule.Refused),
        Range("fc00::/7", "unique-local", "RFC 4193", AddressRule.Refused),
        Range("fe80::/10", "link-local", "RFC 4291 section 2.5.6", AddressRule.Never),
        Range("fec0::/10", "site-local (deprecated)", "RFC 3879", AddressRule.Refused),
        Range("ff00::/8", "multicast", "RFC 4291 section 2.7", AddressRule.Never),
    ];

    /// <summary>The most specific range holding <paramref name="address"/>; null for a public IPv4 address.</summary>
    public static SpecialPurposeRange? Find(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        SpecialPurposeRange? best = null;
        foreach (var range in All)
        {
            // Same family only: IPNetwork.Contains takes an IPv4-mapped address as its IPv4 address.
            if (range.Network.BaseAddress.AddressFamily == address.AddressFamily && range.Network.Contains(address)
                && (best is null || range.Network.PrefixLength > best.Network.PrefixLength))
            {
                best = range;
            }
        }

        return best;
    }

    private static SpecialPurposeRange Range(string network, string name, string source, AddressRule rule, EmbeddedIPv4 embedded = EmbeddedIPv4.None) =>
        new(IPNetwork.Parse(network), name, source, rule, embedded);
}
