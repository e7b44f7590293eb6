using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using MailHealth.Dns;

namespace MailHealth.Blocklists;

/// <summary>The DNS names a blocklist is asked (RFC 5782 section 2).</summary>
public static class BlocklistQuery
{
    /// <summary>
    /// An address under a zone: IPv4 as its octets reversed (RFC 5782 section 2.1), IPv6 as its 32
    /// nibbles reversed (section 2.4). Callers pass <see cref="Canonical"/> addresses, except for
    /// the IPv6 test entry ::FFFF:7F00:2 of section 5, which is asked as IPv6.
    /// </summary>
    public static string ForAddress(IPAddress address, string zone)
    {
        ArgumentNullException.ThrowIfNull(address);
        var bytes = address.GetAddressBytes();
        if (address.AddressFamily == AddressFamily.InterNetwork)
        {
            return string.Create(CultureInfo.InvariantCulture, $"{bytes[3]}.{bytes[2]}.{bytes[1]}.{bytes[0]}.{zone}");
        }

        var name = new StringBuilder(64 + zone.Length + 1);
        for (var i = bytes.Length - 1; i >= 0; i--)
        {
            name.Append(Nibble(bytes[i] & 0xF)).Append('.').Append(Nibble(bytes[i] >> 4)).Append('.');
        }

        return name.Append(zone).ToString();
    }

    /// <summary>A domain under a zone, as it is (RFC 5782 section 2.3): example.com.dbl.example.</summary>
    public static string ForDomain(string domain, string zone) =>
        $"{Canonical.Name(domain)}.{zone}";

    private static char Nibble(int value) => (char)(value < 10 ? '0' + value : 'a' + value - 10);
}
