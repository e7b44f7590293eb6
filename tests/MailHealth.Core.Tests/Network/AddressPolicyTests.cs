using System.Net;
using MailHealth.Network;

namespace MailHealth.Core.Tests.Network;

/// <summary>
/// The address policy's table, range by range (docs/address-policy.md): public, refused unless
/// allowed, never; IPv6 forms that carry an IPv4 address are held to that address's rule; an
/// allowed network lets a refused address through but never a never one.
/// </summary>
public sealed class AddressPolicyTests
{
    [Theory]
    // IPv4 special-purpose registry
    [InlineData("0.0.0.0", AddressRule.Never, "this network")]
    [InlineData("0.1.2.3", AddressRule.Never, "this network")]
    [InlineData("10.0.0.5", AddressRule.Refused, "private-use")]
    [InlineData("100.64.0.1", AddressRule.Refused, "shared address space (carrier-grade NAT)")]
    [InlineData("100.127.255.255", AddressRule.Refused, "shared address space (carrier-grade NAT)")]
    [InlineData("127.0.0.1", AddressRule.Refused, "loopback")]
    [InlineData("127.61.10.1", AddressRule.Refused, "loopback")]
    [InlineData("169.254.1.1", AddressRule.Never, "link-local")]
    [InlineData("172.16.0.1", AddressRule.Refused, "private-use")]
    [InlineData("172.31.255.255", AddressRule.Refused, "private-use")]
    [InlineData("192.0.0.1", AddressRule.Refused, "IETF protocol assignments")]
    [InlineData("192.0.0.9", AddressRule.Public, "Port Control Protocol anycast")]
    [InlineData("192.0.0.10", AddressRule.Public, "TURN anycast")]
    [InlineData("192.0.2.1", AddressRule.Refused, "documentation (TEST-NET-1)")]
    [InlineData("192.88.99.1", AddressRule.Refused, "deprecated 6to4 relay anycast")]
    [InlineData("192.168.1.1", AddressRule.Refused, "private-use")]
    [InlineData("198.18.0.1", AddressRule.Refused, "benchmarking")]
    [InlineData("198.19.255.255", AddressRule.Refused, "benchmarking")]
    [InlineData("198.51.100.1", AddressRule.Refused, "documentation (TEST-NET-2)")]
    [InlineData("203.0.113.1", AddressRule.Refused, "documentation (TEST-NET-3)")]
    [InlineData("240.0.0.1", AddressRule.Refused, "reserved")]
    [InlineData("255.255.255.255", AddressRule.Never, "limited broadcast")]
    [InlineData("224.0.0.1", AddressRule.Never, "multicast")]
    [InlineData("239.255.255.255", AddressRule.Never, "multicast")]
    // the clouds' own addresses
    [InlineData("169.254.169.254", AddressRule.Never, "cloud instance metadata (Azure, AWS, Google Cloud)")]
    [InlineData("168.63.129.16", AddressRule.Never, "Azure platform address (WireServer, DNS, health probes)")]
    [InlineData("100.100.100.200", AddressRule.Never, "Alibaba Cloud instance metadata")]
    [InlineData("fd00:ec2::254", AddressRule.Never, "AWS instance metadata (IPv6)")]
    // IPv6 special-purpose registry and address space
    [InlineData("::", AddressRule.Never, "unspecified")]
    [InlineData("::1", AddressRule.Refused, "loopback")]
    [InlineData("100::1", AddressRule.Refused, "discard-only")]
    [InlineData("2001:2::1", AddressRule.Refused, "IETF protocol assignments")]
    [InlineData("2001:1::1", AddressRule.Public, "Port Control Protocol anycast")]
    [InlineData("2001:3::1", AddressRule.Public, "AMT")]
    [InlineData("2001:20::1", AddressRule.Public, "ORCHIDv2")]
    [InlineData("2001:db8::1", AddressRule.Refused, "documentation")]
    [InlineData("3fff::1", AddressRule.Refused, "documentation")]
    [InlineData("5f00::1", AddressRule.Refused, "segment routing (SRv6) SIDs")]
    [InlineData("fc00::1", AddressRule.Refused, "unique-local")]
    [InlineData("fd12:3456::1", AddressRule.Refused, "unique-local")]
    [InlineData("fe80::1", AddressRule.Never, "link-local")]
    [InlineData("fec0::1", AddressRule.Refused, "site-local (deprecated)")]
    [InlineData("ff02::1", AddressRule.Never, "multicast")]
    [InlineData("4000::1", AddressRule.Refused, "outside the IPv6 global unicast space")]
    [InlineData("2a00:1450:4001::1b", AddressRule.Public, "global unicast")]
    public void Judge_EachRange_TakesItsRule(string text, AddressRule rule, string range)
    {
        var verdict = AddressPolicy.PublicOnly.Judge(IPAddress.Parse(text));

        Assert.Equal(rule, verdict.Rule);
        Assert.Equal(range, verdict.Range?.Name);
        Assert.Equal(rule == AddressRule.Public, verdict.Permitted);
    }

    [Theory]
    [InlineData("8.8.8.8")]
    [InlineData("172.32.0.1")]
    [InlineData("100.128.0.1")]
    [InlineData("192.0.1.255")]
    [InlineData("223.255.255.255")]
    public void Judge_PublicIPv4_IsOutsideEveryRange(string text)
    {
        var verdict = AddressPolicy.PublicOnly.Judge(IPAddress.Parse(text));

        Assert.True(verdict.Permitted);
        Assert.Null(verdict.Range);
        Assert.Equal(text, verdict.ToString());
    }

    [Theory]
    // IPv4-mapped: a socket connecting to it connects to the IPv4 address
    [InlineData("::ffff:10.0.0.5", AddressRule.Refused, "10.0.0.5")]
    [InlineData("::ffff:169.254.169.254", AddressRule.Never, "169.254.169.254")]
    [InlineData("::ffff:168.63.129.16", AddressRule.Never, "168.63.129.16")]
    [InlineData("::ffff:127.0.0.1", AddressRule.Refused, "127.0.0.1")]
    // NAT64 (RFC 6052), well-known and local-use prefixes
    [InlineData("64:ff9b::a00:5", AddressRule.Refused, "10.0.0.5")]
    [InlineData("64:ff9b::a9fe:a9fe", AddressRule.Never, "169.254.169.254")]
    [InlineData("64:ff9b:1::a9fe:a9fe", AddressRule.Never, "169.254.169.254")]
    // IPv4-compatible (deprecated), 6to4, Teredo (the client's address inverted)
    [InlineData("::a9fe:a9fe", AddressRule.Never, "169.254.169.254")]
    [InlineData("2002:a9fe:a9fe::1", AddressRule.Never, "169.254.169.254")]
    [InlineData("2002:a83f:8110::1", AddressRule.Never, "168.63.129.16")]
    [InlineData("2001:0:4136:e378:8000:63bf:5601:5601", AddressRule.Never, "169.254.169.254")]
    public void Judge_IPv6CarryingIPv4_HeldToTheIPv4Rule(string text, AddressRule rule, string carried)
    {
        var verdict = AddressPolicy.PublicOnly.Judge(IPAddress.Parse(text));

        Assert.Equal(rule, verdict.Rule);
        Assert.False(verdict.Permitted);
        Assert.Equal(IPAddress.Parse(carried), verdict.Via);
        Assert.Equal(IPAddress.Parse(text), verdict.Address);
        Assert.StartsWith($"{IPAddress.Parse(text)} (carries {carried}: ", verdict.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("::ffff:8.8.8.8")]
    [InlineData("64:ff9b::808:808")]
    public void Judge_IPv6CarryingPublicIPv4_IsPublic(string text)
    {
        Assert.True(AddressPolicy.PublicOnly.Judge(IPAddress.Parse(text)).Permitted);
    }

    [Fact]
    public void Judge_SixToFourOfAPublicAddress_StaysRefused()
    {
        // 6to4 is refused in itself (no MX lives there); the carried address only makes it stricter.
        var verdict = AddressPolicy.PublicOnly.Judge(IPAddress.Parse("2002:808:808::1"));

        Assert.Equal(AddressRule.Refused, verdict.Rule);
        Assert.Equal("6to4", verdict.Range?.Name);
        Assert.Null(verdict.Via);
    }

    [Fact]
    public void Judge_AllowedNetwork_LetsItsRefusedAddressesThrough()
    {
        var policy = AddressPolicy.Parse(["10.0.0.0/8", "fd00::/8", "127.0.0.0/8"]);

        var allowed = policy.Judge(IPAddress.Parse("10.1.2.3"));
        Assert.True(allowed.Permitted);
        Assert.Equal(AddressRule.Refused, allowed.Rule);
        Assert.Equal(IPNetwork.Parse("10.0.0.0/8"), allowed.AllowedBy);
        Assert.True(policy.Judge(IPAddress.Parse("fd12::1")).Permitted);
        Assert.True(policy.Judge(IPAddress.Parse("::ffff:10.0.0.5")).Permitted);
        Assert.True(policy.Judge(IPAddress.Parse("64:ff9b::a00:5")).Permitted);
        // Other refused ranges stay refused.
        Assert.False(policy.Judge(IPAddress.Parse("192.168.1.1")).Permitted);
        Assert.False(policy.Judge(IPAddress.Parse("fc00::1")).Permitted);
        Assert.False(policy.Judge(IPAddress.Parse("::1")).Permitted);
    }

    [Theory]
    [InlineData("169.254.169.254")]
    [InlineData("169.254.0.1")]
    [InlineData("168.63.129.16")]
    [InlineData("0.0.0.0")]
    [InlineData("255.255.255.255")]
    [InlineData("224.0.0.251")]
    [InlineData("fe80::1")]
    [InlineData("ff02::1")]
    [InlineData("::")]
    [InlineData("fd00:ec2::254")]
    [InlineData("::ffff:169.254.169.254")]
    public void Judge_NeverAddress_RefusedWhateverIsAllowed(string text)
    {
        // Validation refuses these settings; built directly, the policy still refuses the addresses.
        var policy = new AddressPolicy([IPNetwork.Parse("0.0.0.0/0"), IPNetwork.Parse("::/0"), IPNetwork.Parse("169.254.0.0/16"), IPNetwork.Parse("fe80::/10")]);

        var verdict = policy.Judge(IPAddress.Parse(text));

        Assert.Equal(AddressRule.Never, verdict.Rule);
        Assert.False(verdict.Permitted);
        Assert.Equal("never connected to, whatever the settings say", verdict.Consequence);
    }

    [Theory]
    [InlineData("127.0.0.0/8")]
    [InlineData("127.61.0.0/16")]
    [InlineData("::1/128")]
    [InlineData("10.0.0.0/8")]
    [InlineData("192.168.10.0/24")]
    [InlineData("100.64.0.0/10")]
    [InlineData("fd00::/8")]
    [InlineData("0.0.0.0/0")]
    [InlineData("::/0")]
    [InlineData("2002:a00::/24")]
    public void NetworkProblem_RefusedNetwork_None(string text)
    {
        Assert.Null(AddressPolicy.NetworkProblem(text, out var network));
        Assert.Equal(IPNetwork.Parse(text), network);
    }

    [Theory]
    [InlineData("169.254.0.0/16", "lies in link-local (169.254.0.0/16, RFC 3927), which is never connected to, whatever the settings say")]
    [InlineData("169.254.169.254/32", "lies in link-local (169.254.0.0/16, RFC 3927), which is never connected to, whatever the settings say")]
    [InlineData("168.63.129.16/32", "lies in Azure platform address (WireServer, DNS, health probes) (168.63.129.16/32, Azure's documentation of 168.63.129.16), which is never connected to, whatever the settings say")]
    [InlineData("fe80::/64", "lies in link-local (fe80::/10, RFC 4291 section 2.5.6), which is never connected to, whatever the settings say")]
    [InlineData("224.0.0.0/8", "lies in multicast (224.0.0.0/4, RFC 5771), which is never connected to, whatever the settings say")]
    [InlineData("10.0.0.5/8", "has host bits set after the /8 prefix: the network is 10.0.0.0/8")]
    [InlineData("fd00::1/8", "has host bits set after the /8 prefix: the network is fd00::/8")]
    [InlineData("::ffff:10.0.0.0/104", "is an IPv4-mapped network: write it as IPv4 (a mapped address is judged as its IPv4 address)")]
    [InlineData("8.8.8.0/24", "needs no allowing: it holds no address the policy refuses (public addresses are allowed already; the never ranges cannot be allowed)")]
    [InlineData("64:ff9b::/96", "needs no allowing: it holds no address the policy refuses (public addresses are allowed already; the never ranges cannot be allowed)")]
    [InlineData("169.254.0.0/15", "needs no allowing: it holds no address the policy refuses (public addresses are allowed already; the never ranges cannot be allowed)")]
    [InlineData("10.0.0.0", "is not a network in CIDR notation (such as 10.0.0.0/8 or fd00::/8; one address is 192.0.2.1/32)")]
    [InlineData("10/8", "is not a network in CIDR notation (such as 10.0.0.0/8 or fd00::/8; one address is 192.0.2.1/32)")]
    [InlineData("10.0.0.0/33", "is not a network in CIDR notation (such as 10.0.0.0/8 or fd00::/8; one address is 192.0.2.1/32)")]
    [InlineData("10.0.0.0/-1", "is not a network in CIDR notation (such as 10.0.0.0/8 or fd00::/8; one address is 192.0.2.1/32)")]
    [InlineData("", "is not a network in CIDR notation (such as 10.0.0.0/8 or fd00::/8; one address is 192.0.2.1/32)")]
    public void NetworkProblem_BadNetwork_SaysWhat(string text, string problem)
    {
        Assert.Equal(problem, AddressPolicy.NetworkProblem(text, out _));
    }

    [Fact]
    public void Parse_BadNetwork_Throws()
    {
        var error = Assert.Throws<FormatException>(() => AddressPolicy.Parse(["127.0.0.0/8", "169.254.169.254/32"]));

        Assert.StartsWith("'169.254.169.254/32' lies in link-local", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Registry_EveryRangeIsItsNetworksOwnBase()
    {
        // A range written with host bits would not parse; the table must also not name one twice.
        Assert.All(SpecialPurposeRegistry.All, r => Assert.Equal(r.Network, IPNetwork.Parse(r.Network.ToString())));
        Assert.Equal(SpecialPurposeRegistry.All.Count, SpecialPurposeRegistry.All.Select(r => r.Network).Distinct().Count());
    }
}
