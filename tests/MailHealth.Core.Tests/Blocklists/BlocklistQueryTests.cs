using System.Net;
using MailHealth.Blocklists;
using MailHealth.Dns;

namespace MailHealth.Core.Tests.Blocklists;

/// <summary>The names asked of a blocklist (RFC 5782 section 2).</summary>
public sealed class BlocklistQueryTests
{
    [Fact]
    public void ForAddress_Ipv4_ReversesTheOctets()
    {
        Assert.Equal("2.0.0.127.bl.example", BlocklistQuery.ForAddress(IPAddress.Parse("127.0.0.2"), "bl.example"));
        Assert.Equal("10.2.0.192.zen.spamhaus.org", BlocklistQuery.ForAddress(IPAddress.Parse("192.0.2.10"), "zen.spamhaus.org"));
    }

    [Fact]
    public void ForAddress_Ipv6_ReversesAll32Nibbles()
    {
        // The example of RFC 5782 section 2.4.
        var name = BlocklistQuery.ForAddress(IPAddress.Parse("2001:db8:1:2:3:4:567:89ab"), "ugly.example.com");

        Assert.Equal("b.a.9.8.7.6.5.0.4.0.0.0.3.0.0.0.2.0.0.0.1.0.0.0.8.b.d.0.1.0.0.2.ugly.example.com", name);
    }

    [Fact]
    public void ForAddress_Ipv6TestEntry_IsAskedAsIpv6()
    {
        var name = BlocklistQuery.ForAddress(IPAddress.Parse("::ffff:7f00:2"), "bl.example");

        Assert.Equal("2.0.0.0.0.0.f.7.f.f.f.f.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.bl.example", name);
    }

    [Fact]
    public void Canonical_Ipv4MappedAddress_BecomesIpv4()
    {
        var canonical = Canonical.Address(IPAddress.Parse("::ffff:192.0.2.10"));

        Assert.Equal(IPAddress.Parse("192.0.2.10"), canonical);
        Assert.Equal("10.2.0.192.bl.example", BlocklistQuery.ForAddress(canonical, "bl.example"));
    }

    [Fact]
    public void ForDomain_IsTheDomainUnderTheZone()
    {
        // RFC 5782 section 2.3: the name itself, not reversed.
        Assert.Equal("example.com.dbl.example", BlocklistQuery.ForDomain("Example.COM.", "dbl.example"));
    }
}
