using MailHealth.Dmarc;

namespace MailHealth.Core.Tests.Dmarc;

/// <summary>The names the RFC 9989 section 4.10 tree walk asks, and the organizational domain it picks (section 4.10.2).</summary>
public sealed class DmarcTreeWalkTests
{
    [Fact]
    public void Targets_ShortName_WalksEveryLabelUpToTheTld()
    {
        Assert.Equal(["a.mail.example.com", "mail.example.com", "example.com", "com"], DmarcTreeWalk.Targets("a.mail.example.com"));
    }

    [Fact]
    public void Targets_LongName_JumpsToSevenLabelsAsTheDraftExampleShows()
    {
        // RFC 9989 section 4.10: the eight queries for a.b.c.d.e.f.g.h.i.j.mail.example.com
        Assert.Equal(
            [
                "a.b.c.d.e.f.g.h.i.j.mail.example.com", "g.h.i.j.mail.example.com", "h.i.j.mail.example.com",
                "i.j.mail.example.com", "j.mail.example.com", "mail.example.com", "example.com", "com",
            ],
            DmarcTreeWalk.Targets("a.b.c.d.e.f.g.h.i.j.mail.example.com"));
    }

    [Theory]
    [InlineData("com", 1)]
    [InlineData("a.b.c.d.e.f.g", 7)]
    [InlineData("a.b.c.d.e.f.g.h", 8)]
    [InlineData("a.b.c.d.e.f.g.h.i", 8)]
    [InlineData("1.2.3.4.5.6.7.8.9.10.11.12.13.14.15.16.17.18.19.20", 8)]
    public void Targets_NeverMoreThanEightQueries(string domain, int count)
    {
        var targets = DmarcTreeWalk.Targets(domain);

        Assert.Equal(count, targets.Count);
        Assert.True(targets.Count <= DmarcTreeWalk.MaxQueries);
        Assert.Equal(domain, targets[0]);
        Assert.Equal(domain.Split('.')[^1], targets[^1]);
    }

    private static (string, DmarcRecord) At(string domain, string record) => (domain, DmarcRecord.Parse(record));

    [Fact]
    public void OrganizationalDomain_FewestLabelsWins()
    {
        // RFC 9989 section 4.10.2, the first example: records at mail.example.com and example.com.
        var found = new[] { At("mail.example.com", "v=DMARC1; p=none"), At("example.com", "v=DMARC1; p=reject") };

        Assert.Equal("example.com", DmarcDiscovery.OrganizationalDomainOf("a.mail.example.com", found));
    }

    [Fact]
    public void OrganizationalDomain_PsdNoStopsAtThatDomain()
    {
        var found = new[] { At("mail.example.com", "v=DMARC1; p=none; psd=n") };

        Assert.Equal("mail.example.com", DmarcDiscovery.OrganizationalDomainOf("a.mail.example.com", found));
    }

    [Fact]
    public void OrganizationalDomain_PsdYesIsOneLabelBelow()
    {
        // RFC 9989 appendix B.4.3: mail.mega.bank.example under the PSD bank.example.
        var found = new[] { At("bank.example", "v=DMARC1; p=reject; psd=y") };

        Assert.Equal("mega.bank.example", DmarcDiscovery.OrganizationalDomainOf("mail.mega.bank.example", found));
    }

    [Fact]
    public void OrganizationalDomain_PsdYesAtTheStartDoesNotCount()
    {
        var found = new[] { At("bank.example", "v=DMARC1; p=reject; psd=y") };

        Assert.Equal("bank.example", DmarcDiscovery.OrganizationalDomainOf("bank.example", found));
    }

    [Fact]
    public void OrganizationalDomain_NoRecord_IsTheStart()
    {
        Assert.Equal("a.example.com", DmarcDiscovery.OrganizationalDomainOf("a.example.com", []));
    }
}
