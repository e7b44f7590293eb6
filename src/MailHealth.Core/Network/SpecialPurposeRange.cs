using System.Net;

namespace MailHealth.Network;

/// <summary>One range of the address policy's table (<see cref="SpecialPurposeRegistry"/>).</summary>
/// <param name="Network">The range.</param>
/// <param name="Name">Its name in the IANA registry, or what it is ("Azure platform address").</param>
/// <param name="Source">Where the range is defined (an RFC, a cloud's documentation).</param>
/// <param name="Rule">What the policy does with its addresses.</param>
/// <param name="Embedded">Where its addresses carry an IPv4 address that is judged too.</param>
public sealed record SpecialPurposeRange(IPNetwork Network, string Name, string Source, AddressRule Rule, EmbeddedIPv4 Embedded = EmbeddedIPv4.None)
{
    /// <summary>The IPv4 address <paramref name="address"/> (of this range) carries, or null.</summary>
    public IPAddress? EmbeddedAddress(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (Embedded == EmbeddedIPv4.None || address.AddressFamily != System.Net.Sockets.AddressFamily.InterNetworkV6)
        {
            return null;
        }

        var bytes = address.GetAddressBytes();
        return Embedded switch
        {
            EmbeddedIPv4.Last32Bits => new IPAddress(bytes.AsSpan(12, 4)),
            EmbeddedIPv4.SixToFour => new IPAddress(bytes.AsSpan(2, 4)),
            EmbeddedIPv4.TeredoClient => new IPAddress([(byte)~bytes[12], (byte)~bytes[13], (byte)~bytes[14], (byte)~bytes[15]]),
            _ => null,
        };
    }

    /// <summary>"private-use, 10.0.0.0/8, RFC 1918".</summary>
    public override string ToString() => $"{Name}, {Network}, {Source}";
}
