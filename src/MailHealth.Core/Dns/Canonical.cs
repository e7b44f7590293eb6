using System.Net;

namespace MailHealth.Dns;

/// <summary>The one form names and addresses are compared in, whichever check compares them.</summary>
public static class Canonical
{
    /// <summary>
    /// A host or domain name as DNS compares it: no surrounding space, no root dot, lower case
    /// (DNS names are case-insensitive, RFC 4343).
    /// </summary>
    public static string Name(string? name) => (name ?? "").Trim().TrimEnd('.').ToLowerInvariant();

    /// <summary>An IPv4-mapped IPv6 address (::ffff:a.b.c.d, RFC 4291 section 2.5.5.2) as the IPv4 address it carries.</summary>
    public static IPAddress Address(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        return address.IsIPv4MappedToIPv6 ? address.MapToIPv4() : address;
    }
}
