using System.Net;
using System.Net.Sockets;

namespace MailHealth.Blocklists;

/// <summary>One A record of a blocklist answer, interpreted for its zone.</summary>
/// <param name="Code">The address as text, such as 127.0.0.2.</param>
/// <param name="IsError">True when the zone refused the question (never a listing).</param>
/// <param name="Meaning">What the zone says the code means.</param>
public sealed record ReturnCode(string Code, bool IsError, string Meaning)
{
    public static ReturnCode Interpret(IPAddress address, BlocklistZone zone)
    {
        ArgumentNullException.ThrowIfNull(address);
        ArgumentNullException.ThrowIfNull(zone);
        var code = address.ToString();
        if (zone.ErrorCodes.TryGetValue(code, out var error))
        {
            return new ReturnCode(code, true, error);
        }

        var bytes = address.AddressFamily == AddressFamily.InterNetwork ? address.GetAddressBytes() : null;

        // RFC 5782 section 2.1: listings are A records in 127.0.0.0/8. Anything else is a
        // resolver or zone gone wrong (an ISP's NXDOMAIN redirection, a retired list), not a listing.
        if (bytes is null || bytes[0] != 127)
        {
            return new ReturnCode(code, true, "not a blocklist return code (outside 127.0.0.0/8)");
        }

        // 127.255.255.0/24 is where lists put their error answers (Spamhaus .252, .254, .255 and others).
        if (bytes[1] == 255 && bytes[2] == 255)
        {
            return new ReturnCode(code, true, "error answer: the zone refused the question");
        }

        return zone.Meanings.TryGetValue(code, out var meaning)
            ? new ReturnCode(code, false, meaning)
            : new ReturnCode(code, false, $"listed (return code {code})");
    }
}
