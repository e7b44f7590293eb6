using MailHealth.PublicSuffix;

namespace MailHealth.Core.Tests.PublicSuffix;

/// <summary>
/// The list's algorithm (https://publicsuffix.org/list/, "Format") on a small list of our own, one
/// rule of each kind, then the same questions against Debian's data file as the peers install it.
/// </summary>
public sealed class PublicSuffixListTests
{
    // One rule of each kind in each section; "invalid" lines and comments the format allows.
    private const string SmallList = """
        // a comment
        // ===BEGIN ICANN DOMAINS===
        example
        co.example
        *.wild.example
        !keep.wild.example
        公司.cn
        cn
        uk
        co.uk trailing text after whitespace is ignored
        // ===END ICANN DOMAINS===
        // ===BEGIN PRIVATE DOMAINS===
        hosting.co.uk
        *.compute.cloud.example
        // ===END PRIVATE DOMAINS===
        """;

    private static readonly PublicSuffixList Small = PublicSuffixList.Parse(new StringReader(SmallList));

    private static readonly Lazy<PublicSuffixList> Debian = new(() => PublicSuffixList.Load(PublicSuffixList.DebianPath));

    [Theory]
    // a normal rule, and the longest of several
    [InlineData("mail.shop.co.uk", "shop.co.uk", "co.uk")]
    [InlineData("shop.co.uk", "shop.co.uk", "co.uk")]
    [InlineData("a.b.example", "b.example", "example")]
    [InlineData("mail.shop.co.example", "shop.co.example", "co.example")]
    // a name that is itself a suffix has no registrable domain
    [InlineData("co.uk", null, "co.uk")]
    [InlineData("uk", null, "uk")]
    // the wildcard: any one label under wild.example is a suffix
    [InlineData("host.any.wild.example", "host.any.wild.example", "any.wild.example")]
    [InlineData("any.wild.example", null, "any.wild.example")]
    // the exception prevails over the wildcard: the rule less its leftmost label is the suffix
    [InlineData("keep.wild.example", "keep.wild.example", "wild.example")]
    [InlineData("www.keep.wild.example", "keep.wild.example", "wild.example")]
    // the default rule "*": an unlisted top-level label is a suffix
    [InlineData("mail.sender.test", "sender.test", "test")]
    [InlineData("test", null, "test")]
    // case and the final dot do not matter
    [InlineData("MAIL.Shop.CO.UK.", "shop.co.uk", "co.uk")]
    // IDN: Unicode in, punycode out, rules written in Unicode matched in their ASCII form
    [InlineData("shop.公司.cn", "shop.xn--55qx5d.cn", "xn--55qx5d.cn")]
    [InlineData("shop.xn--55qx5d.cn", "shop.xn--55qx5d.cn", "xn--55qx5d.cn")]
    public void Lookups_IcannSection(string name, string? registrable, string suffix)
    {
        Assert.Equal(registrable, Small.RegistrableDomainOf(name));
        Assert.Equal(suffix, Small.PublicSuffixOf(name));
    }

    [Theory]
    [InlineData("")]
    [InlineData(".")]
    [InlineData(".shop.co.uk")]
    [InlineData("shop..co.uk")]
    public void Lookups_NotADomainName_Null(string name)
    {
        Assert.Null(Small.RegistrableDomainOf(name));
        Assert.Null(Small.PublicSuffixOf(name));
    }

    [Fact]
    public void Lookups_PrivateSection_OnlyWhenAsked()
    {
        // Without the PRIVATE rules the company's own domain is the base domain; with them, each
        // customer's name is a registrable domain of its own.
        Assert.Equal("hosting.co.uk", Small.RegistrableDomainOf("customer.hosting.co.uk"));
        Assert.Equal("customer.hosting.co.uk", Small.RegistrableDomainOf("customer.hosting.co.uk", includePrivate: true));
        Assert.Equal("cloud.example", Small.RegistrableDomainOf("vm1.eu.compute.cloud.example"));
        Assert.Equal("vm1.eu.compute.cloud.example", Small.RegistrableDomainOf("vm1.eu.compute.cloud.example", includePrivate: true));
    }

    [Fact]
    public void Parse_CountsEveryRuleOfBothSections() => Assert.Equal(10, Small.Count);

    [Theory]
    [InlineData("mail-1.example.co.uk", "example.co.uk")]
    [InlineData("a.b.c.example.com", "example.com")]
    [InlineData("b.c.kobe.jp", "b.c.kobe.jp")]
    [InlineData("city.kobe.jp", "city.kobe.jp")]
    [InlineData("www.ck", "www.ck")]
    [InlineData("www.www.ck", "www.ck")]
    [InlineData("x.test.ck", "x.test.ck")]
    [InlineData("食狮.公司.cn", "xn--85x722f.xn--55qx5d.cn")]
    [InlineData("mail-wr1-f54.google.com", "google.com")]
    // ICANN section only: an EC2 host is named by amazonaws.com, not by its own address
    [InlineData("ec2-192-0-2-1.compute-1.amazonaws.com", "amazonaws.com")]
    [InlineData("a1-2.smtp-out.amazonses.com", "amazonses.com")]
    [InlineData("mail.sender.test", "sender.test")]
    [InlineData("com", null)]
    public void Lookups_DebianList(string name, string? registrable) =>
        Assert.Equal(registrable, Debian.Value.RegistrableDomainOf(name));

    [Fact]
    public void Load_DebianList_HoldsBothSections()
    {
        Assert.True(Debian.Value.Count > 5_000);
        // With the PRIVATE section, "*.compute-1.amazonaws.com" makes each EC2 host name a public
        // suffix of its own: nothing registrable, nothing to group senders by.
        Assert.Null(Debian.Value.RegistrableDomainOf("ec2-192-0-2-1.compute-1.amazonaws.com", includePrivate: true));
        Assert.Equal("ec2-192-0-2-1.compute-1.amazonaws.com", Debian.Value.PublicSuffixOf("ec2-192-0-2-1.compute-1.amazonaws.com", includePrivate: true));
    }

    [Fact]
    public void Load_MissingFile_SaysWhichFile()
    {
        var path = Path.Combine(Path.GetTempPath(), $"no-such-list-{Guid.NewGuid():N}.dat");

        var e = Assert.Throws<FileNotFoundException>(() => PublicSuffixList.Load(path));

        Assert.Contains(path, e.Message, StringComparison.Ordinal);
    }
}
