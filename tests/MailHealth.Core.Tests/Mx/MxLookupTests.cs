using MailHealth.Checks;
using MailHealth.Dns;
using MailHealth.Mx;
using MailHealth.Testing;

namespace MailHealth.Core.Tests.Mx;

/// <summary>The MX lookup against the mx.test zone that Knot serves (eng/peers/zones/mx.test.zone.in).</summary>
public sealed class MxLookupTests
{
    private static Task<MxResult> LookupAsync(string domain, DnsResolver? dns = null) =>
        MxLookup.LookupAsync(Peers.Context(Peers.Target(domain), dns: dns), CancellationToken.None);

    private static IEnumerable<string> Codes(MxResult result) => result.Check.Findings.Select(f => f.Code);

    [Fact]
    public async Task Lookup_TwoGoodMxHosts_PassesWithHostsInPreferenceOrder()
    {
        var result = await LookupAsync("good.mx.test");

        Assert.Equal(CheckStatus.Pass, result.Check.Status);
        Assert.Empty(result.Check.Findings);
        Assert.Equal(MailHostSource.Mx, result.Hosts.Source);
        Assert.Equal(["mx1.good.mx.test", "mx2.good.mx.test"], result.Hosts.Hosts.Select(h => h.Name));
        Assert.Equal([Peers.Address(1, 1)], result.Hosts.Hosts[0].Addresses);
        Assert.Equal(2, result.Hosts.Hosts[1].Addresses.Count);
    }

    [Fact]
    public async Task Lookup_NullMx_ReportsMxNullAndNoHosts()
    {
        var result = await LookupAsync("nullmx.mx.test");

        Assert.Equal([MxFindingCodes.Null], Codes(result));
        Assert.Equal(CheckStatus.Pass, result.Check.Status);
        Assert.Empty(result.Hosts.Hosts);
    }

    [Fact]
    public async Task Lookup_NullMxBesideRealMx_WarnsAndKeepsTheRealHost()
    {
        var result = await LookupAsync("mixednull.mx.test");

        Assert.Equal([MxFindingCodes.NullMixed], Codes(result));
        Assert.DoesNotContain(MxFindingCodes.Null, Codes(result));
        Assert.Equal(["mx1.good.mx.test"], result.Hosts.Hosts.Select(h => h.Name));
    }

    [Fact]
    public async Task Lookup_CnameTarget_WarnsMxIsCname_SeenInTheAddressAnswers()
    {
        var dns = Peers.Resolver();
        var result = await LookupAsync("cname.mx.test", dns);

        var finding = Assert.Single(result.Check.Findings);
        Assert.Equal(MxFindingCodes.IsCname, finding.Code);
        Assert.Equal(Severity.Warning, finding.Severity);
        Assert.Equal("alias.cname.mx.test", finding.Subject);
        Assert.Contains("real.cname.mx.test", finding.Message, StringComparison.Ordinal);
        Assert.Equal(CheckStatus.Warn, result.Check.Status);
        Assert.Equal([Peers.Address(1, 3)], result.Hosts.Hosts[0].Addresses);
        // MX, then A and AAAA of the host: its alias is read from those answers, not asked apart.
        Assert.Equal(3, dns.QuestionsSent);
    }

    [Fact]
    public async Task Lookup_HostWithoutAddress_IsCriticalUnresolvable()
    {
        var result = await LookupAsync("noaddr.mx.test");

        var finding = Assert.Single(result.Check.Findings);
        Assert.Equal(MxFindingCodes.HostUnresolvable, finding.Code);
        Assert.Equal("ghost.noaddr.mx.test", finding.Subject);
        Assert.Equal(CheckStatus.Fail, result.Check.Status);
    }

    [Fact]
    public async Task Lookup_IpLiteralTarget_IsCriticalAndNotProbed()
    {
        var result = await LookupAsync("literal.mx.test");

        Assert.Equal([MxFindingCodes.IsIpLiteral], Codes(result));
        Assert.Empty(result.Hosts.Hosts);
    }

    [Fact]
    public async Task Lookup_NoMxButAddress_UsesImplicitMx()
    {
        var result = await LookupAsync("implicit.mx.test");

        Assert.Empty(result.Check.Findings);
        Assert.Equal(MailHostSource.ImplicitMx, result.Hosts.Source);
        Assert.Equal("implicit.mx.test", Assert.Single(result.Hosts.Hosts).Name);
    }

    [Theory]
    [InlineData("nothing.mx.test")]
    [InlineData("does-not-exist.mx.test")]
    public async Task Lookup_NoMxNoAddress_IsMxMissing(string domain)
    {
        var result = await LookupAsync(domain);

        Assert.Equal([MxFindingCodes.Missing], Codes(result));
        Assert.Equal(CheckStatus.Fail, result.Check.Status);
    }

    [Fact]
    public async Task Lookup_GoodDomain_RaisesNoneOfTheProblemCodes()
    {
        var codes = Codes(await LookupAsync("good.mx.test")).ToList();

        Assert.DoesNotContain(MxFindingCodes.Missing, codes);
        Assert.DoesNotContain(MxFindingCodes.IsCname, codes);
        Assert.DoesNotContain(MxFindingCodes.HostUnresolvable, codes);
        Assert.DoesNotContain(MxFindingCodes.IsIpLiteral, codes);
        Assert.DoesNotContain(MxFindingCodes.NullMixed, codes);
        Assert.DoesNotContain(MxFindingCodes.Null, codes);
    }
}
