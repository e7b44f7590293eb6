using System.Globalization;
using System.Net;

namespace MailHealth.Network;

/// <summary>
/// Where the monitor may connect (issue 15; docs/address-policy.md). Every connection and fetch
/// (SMTP probes, the MTA-STS and BIMI fetches, webhooks, e-mail, whatever comes later) passes it,
/// on the address actually connected to, after name resolution: a domain's DNS must not turn the
/// prober into a scanner of the network it runs in. Public addresses are allowed; special-purpose
/// ones (<see cref="SpecialPurposeRegistry"/>) are refused unless an allowed network names them;
/// the never ranges are refused whatever the settings say. DNS queries to the configured
/// resolvers do not pass it: in Azure the resolver is 168.63.129.16 itself.
/// </summary>
public sealed class AddressPolicy
{
    public AddressPolicy(IEnumerable<IPNetwork> allowedNetworks)
    {
        ArgumentNullException.ThrowIfNull(allowedNetworks);
        AllowedNetworks = [.. allowedNetworks];
    }

    /// <summary>Nothing special-purpose allowed: the default of a deployment.</summary>
    public static AddressPolicy PublicOnly { get; } = new([]);

    /// <summary>The networks <c>MailHealth:Checks:AllowedNetworks</c> names.</summary>
    public IReadOnlyList<IPNetwork> AllowedNetworks { get; }

    /// <summary>The policy of validated settings (<see cref="NetworkProblem"/> found nothing wrong).</summary>
    public static AddressPolicy Parse(IEnumerable<string> allowedNetworks)
    {
        ArgumentNullException.ThrowIfNull(allowedNetworks);
        return new(allowedNetworks.Select(text => NetworkProblem(text, out var network) is { } problem
            ? throw new FormatException($"'{text}' {problem}")
            : network));
    }

    public AddressVerdict Judge(IPAddress address)
    {
        ArgumentNullException.ThrowIfNull(address);
        if (address.IsIPv4MappedToIPv6)
        {
            // RFC 4291 section 2.5.5.2: a socket connecting to a mapped address connects to the
            // IPv4 address, so that is the address judged.
            var mapped = address.MapToIPv4();
            return Judge(mapped) with { Address = address, Via = mapped };
        }

        var own = JudgeOwn(address);
        // An IPv6 form that reaches an IPv4 address (mapped, NAT64, 6to4, Teredo) is held to that
        // address's rule too, whichever is stricter.
        if (own.Range?.EmbeddedAddress(address) is { } carried)
        {
            var embedded = JudgeOwn(carried);
            if (Strictness(embedded) > Strictness(own))
            {
                return embedded with { Address = address, Via = carried };
            }
        }

        return own;
    }

    /// <summary>
    /// What is wrong with <paramref name="text"/> as an allowed network, as one line to follow the
    /// quoted text ("'10.0.0.5/8' has host bits set..."); null when it
    /// is a CIDR network (the address as strict as <see cref="IpAddressText"/> reads it) that lets
    /// some refused address through.
    /// </summary>
    public static string? NetworkProblem(string? text, out IPNetwork network)
    {
        network = default;
        var parts = text?.Split('/') ?? [];
        if (parts.Length != 2 || !IpAddressText.TryParse(parts[0], out var address)
            || !int.TryParse(parts[1], NumberStyles.None, CultureInfo.InvariantCulture, out var prefix)
            || prefix > address.GetAddressBytes().Length * 8)
        {
            return "is not a network in CIDR notation (such as 10.0.0.0/8 or fd00::/8; one address is 192.0.2.1/32)";
        }

        var bytes = address.GetAddressBytes();
        for (var bit = prefix; bit < bytes.Length * 8; bit++)
        {
            bytes[bit / 8] &= (byte)~(0x80 >> (bit % 8));
        }

        var baseAddress = new IPAddress(bytes);
        if (!baseAddress.Equals(address))
        {
            return $"has host bits set after the /{prefix} prefix: the network is {baseAddress}/{prefix}";
        }

        network = new IPNetwork(baseAddress, prefix);
        if (baseAddress.IsIPv4MappedToIPv6)
        {
            return "is an IPv4-mapped network: write it as IPv4 (a mapped address is judged as its IPv4 address)";
        }

        var candidate = network;
        var never = SpecialPurposeRegistry.All.FirstOrDefault(r => r.Rule == AddressRule.Never && Within(candidate, r.Network));
        if (never is not null)
        {
            return $"lies in {never.Name} ({never.Network}, {never.Source}), which is never connected to, whatever the settings say";
        }

        return LetsSomethingThrough(network)
            ? null
            : "needs no allowing: it holds no address the policy refuses (public addresses are allowed already; the never ranges cannot be allowed)";
    }

    private AddressVerdict JudgeOwn(IPAddress address)
    {
        var range = SpecialPurposeRegistry.Find(address);
        var rule = range?.Rule ?? AddressRule.Public;
        return new AddressVerdict
        {
            Address = address,
            Rule = rule,
            Range = range,
            AllowedBy = rule == AddressRule.Refused ? AllowingNetwork(address) : null,
        };
    }

    private IPNetwork? AllowingNetwork(IPAddress address)
    {
        foreach (var network in AllowedNetworks)
        {
            if (network.Contains(address))
            {
                return network;
            }
        }

        return null;
    }

    private static int Strictness(AddressVerdict verdict) =>
        verdict.Rule == AddressRule.Never ? 2 : verdict.Permitted ? 0 : 1;

    /// <summary>Whether allowing <paramref name="network"/> permits some address the policy refuses.</summary>
    private static bool LetsSomethingThrough(IPNetwork network) =>
        SpecialPurposeRegistry.All.Any(r => r.Rule == AddressRule.Refused && (Within(r.Network, network)
            || (Within(network, r.Network) && SpecialPurposeRegistry.Find(network.BaseAddress)?.Rule == AddressRule.Refused)));

    /// <summary>Whether every address of <paramref name="inner"/> is in <paramref name="outer"/>.</summary>
    private static bool Within(IPNetwork inner, IPNetwork outer) =>
        inner.BaseAddress.AddressFamily == outer.BaseAddress.AddressFamily
        && inner.PrefixLength >= outer.PrefixLength && outer.Contains(inner.BaseAddress);
}
