using System.Diagnostics.CodeAnalysis;
using System.Globalization;
using System.Net;

namespace MailHealth.Network;

/// <summary>
/// The one strict parser for addresses people type (command line, configuration, API): an IPv4
/// address in dotted-quad form or an IPv6 address without a zone. IPAddress.TryParse alone takes
/// "1.2.3" as 1.2.0.3 and "10" as 0.0.0.10, which would send probes somewhere nobody meant.
/// </summary>
public static class IpAddressText
{
    public static bool TryParse(string? text, [NotNullWhen(true)] out IPAddress? address)
    {
        address = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var trimmed = text.Trim();
        var strict = trimmed.Contains(':', StringComparison.Ordinal)
            ? !trimmed.Contains('%', StringComparison.Ordinal)
            : trimmed.Split('.') is { Length: 4 } parts && parts.All(p => p.Length is > 0 and <= 3 && p.All(char.IsAsciiDigit));
        return strict && IPAddress.TryParse(trimmed, out address);
    }

    /// <summary>
    /// A DNS server: <c>IP</c>, <c>IP:PORT</c> or <c>[IPv6]:PORT</c>, the address strict as in
    /// <see cref="TryParse"/>; the port defaults to 53 and must be 1-65535.
    /// </summary>
    public static bool TryParseEndpoint(string? text, int defaultPort, [NotNullWhen(true)] out IPEndPoint? endpoint)
    {
        endpoint = null;
        if (string.IsNullOrWhiteSpace(text))
        {
            return false;
        }

        var trimmed = text.Trim();
        if (TryParse(trimmed, out var bare))
        {
            endpoint = new IPEndPoint(bare, defaultPort);
            return true;
        }

        string host, port;
        if (trimmed.StartsWith('['))
        {
            var close = trimmed.IndexOf("]:", StringComparison.Ordinal);
            if (close < 0)
            {
                return false;
            }

            (host, port) = (trimmed[1..close], trimmed[(close + 2)..]);
            if (!host.Contains(':', StringComparison.Ordinal))
            {
                return false;
            }
        }
        else
        {
            var colon = trimmed.LastIndexOf(':');
            if (colon < 0 || trimmed.IndexOf(':') != colon)
            {
                // An IPv6 address with a port must be bracketed.
                return false;
            }

            (host, port) = (trimmed[..colon], trimmed[(colon + 1)..]);
        }

        if (!TryParse(host, out var address)
            || port.Length is 0 or > 5 || !port.All(char.IsAsciiDigit)
            || !int.TryParse(port, NumberStyles.None, CultureInfo.InvariantCulture, out var number) || number is < 1 or > 65535)
        {
            return false;
        }

        endpoint = new IPEndPoint(address, number);
        return true;
    }
}
