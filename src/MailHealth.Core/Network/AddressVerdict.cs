using System.Net;

namespace MailHealth.Network;

/// <summary>What the address policy says of one address, and why.</summary>
public sealed record AddressVerdict
{
    public required IPAddress Address { get; init; }

    /// <summary>The rule that decided: the stricter of the address's own range and of the IPv4 address it carries.</summary>
    public required AddressRule Rule { get; init; }

    /// <summary>The range that decided; null for a public address outside every range.</summary>
    public SpecialPurposeRange? Range { get; init; }

    /// <summary>The IPv4 address carried in <see cref="Address"/> (NAT64, 6to4, mapped) when its range decided.</summary>
    public IPAddress? Via { get; init; }

    /// <summary>The allowed network (<c>MailHealth:Checks:AllowedNetworks</c>) that lets a refused address through.</summary>
    public IPNetwork? AllowedBy { get; init; }

    /// <summary>Whether the monitor may connect to the address.</summary>
    public bool Permitted => Rule == AddressRule.Public || (Rule == AddressRule.Refused && AllowedBy is not null);

    /// <summary>What stops the connection, as the end of a sentence ("never connected to").</summary>
    public string Consequence => Rule == AddressRule.Never
        ? "never connected to, whatever the settings say"
        : "refused unless MailHealth:Checks:AllowedNetworks names it";

    /// <summary>The address, its range and what stops the connection, for a report or a message.</summary>
    public string Refusal => $"{this}: {Consequence}";

    /// <summary>
    /// The range and what stops the connection, without the address: for a message about a host
    /// that belongs to a secret (a webhook URL), "loopback (127.0.0.0/8, RFC 1122 ...): refused unless ...".
    /// </summary>
    public string RangeRefusal => $"{Range?.Name} ({Range?.Network}, {Range?.Source}): {Consequence}";

    /// <summary>The verdict as report evidence.</summary>
    public Dictionary<string, object?> ToEvidence() => new()
    {
        ["address"] = Address.ToString(),
        ["via"] = Via?.ToString(),
        ["range"] = Range?.Name,
        ["network"] = Range?.Network.ToString(),
        ["source"] = Range?.Source,
        ["rule"] = Rule.ToString().ToLowerInvariant(),
    };

    /// <summary>"10.0.0.5 (private-use, 10.0.0.0/8, RFC 1918)"; "64:ff9b::a00:5 (carries 10.0.0.5: private-use, ...)".</summary>
    public override string ToString() => Range is null
        ? Address.ToString()
        : Via is null ? $"{Address} ({Range})" : $"{Address} (carries {Via}: {Range})";
}
