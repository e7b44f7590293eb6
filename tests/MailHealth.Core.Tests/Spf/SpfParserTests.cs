using System.Net;
using MailHealth.Spf;

namespace MailHealth.Core.Tests.Spf;

/// <summary>The record grammar of RFC 7208 sections 4.6 and 12, and where errors are reported.</summary>
public sealed class SpfParserTests
{
    [Fact]
    public void Parse_EveryMechanismAndModifier_GivesTheirParts()
    {
        var ok = SpfParser.TryParse(
            "v=spf1 +all -include:_spf.example.com ~a:mail.example.com/24//64 ?mx/28 ptr:example.com ip4:192.0.2.0/24 ip6:2001:db8::/32 exists:%{ir}.bl.example.com redirect=other.example.com exp=why.example.com x-custom=anything",
            out var record, out var error);

        Assert.True(ok, error?.ToString());
        var m = record!.Mechanisms.ToList();
        Assert.Equal(
            [SpfMechanismKind.All, SpfMechanismKind.Include, SpfMechanismKind.A, SpfMechanismKind.Mx, SpfMechanismKind.Ptr, SpfMechanismKind.Ip4, SpfMechanismKind.Ip6, SpfMechanismKind.Exists],
            m.Select(x => x.Kind));
        Assert.Equal([SpfQualifier.Pass, SpfQualifier.Fail, SpfQualifier.SoftFail, SpfQualifier.Neutral], m.Take(4).Select(x => x.Qualifier));
        Assert.Equal("mail.example.com", m[2].Domain!.Text);
        Assert.Equal((24, 64), (m[2].Cidr4!.Value, m[2].Cidr6!.Value));
        Assert.Equal(28, m[3].Cidr4);
        Assert.Null(m[3].Domain);
        Assert.Equal(IPAddress.Parse("192.0.2.0"), m[5].Network);
        Assert.Equal(32, m[6].Cidr6);
        Assert.True(m[7].Domain!.HasMacros);
        Assert.Equal("other.example.com", record.Redirect!.Value.Text);
        Assert.Equal("why.example.com", record.Explanation!.Value.Text);
        Assert.Equal(11, record.Terms.Count);
        Assert.False(record.RedirectApplies);
    }

    [Theory]
    [InlineData("v=spf1 ip4:192.0.2.300 -all", "ip4:192.0.2.300", 12)]
    [InlineData("v=spf1 a:example.com/33", "a:example.com/33", 21)]
    [InlineData("v=spf1 a:example.com/024", "a:example.com/024", 21)]
    [InlineData("v=spf1 ip6:2001:db8::/129", "ip6:2001:db8::/129", 22)]
    [InlineData("v=spf1 mx  foo -all", "foo", 12)]
    [InlineData("v=spf1 redirect:example.com", "redirect:example.com", 8)]
    [InlineData("v=spf1 include:example", "include:example", 16)]
    [InlineData("v=spf1 all:x", "all:x", 11)]
    [InlineData("v=spf1 exists:%{x}.example.com", "exists:%{x}.example.com", 15)]
    [InlineData("v=spf1 a:%{c}.example.com", "a:%{c}.example.com", 10)]
    [InlineData("v=spf1 a:50%.example.com", "a:50%.example.com", 12)]
    [InlineData("v=spf1 exp=a.example.com exp=b.example.com", "exp=b.example.com", 26)]
    [InlineData("v=spf1 1custom=x", "1custom=x", 8)]
    public void Parse_SyntaxError_NamesTheTermAndPosition(string text, string term, int position)
    {
        Assert.False(SpfParser.TryParse(text, out _, out var error));

        Assert.Equal(term, error!.Term);
        Assert.Equal(position, error.Position);
        Assert.Contains($"at character {position}", error.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("v=spf1 a:ctrl.example.com\rptr -all")]
    [InlineData("v=spf1 a:ex\u00efample.com -all")]
    public void Parse_NonPrintableOrNonAscii_IsAnError(string text)
    {
        Assert.False(SpfParser.TryParse(text, out _, out var error));
        Assert.Contains("not allowed", error!.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("v=spf1", true)]
    [InlineData("V=SpF1 -all", true)]
    [InlineData("v=spf10", false)]
    [InlineData("v=spf1mx", false)]
    [InlineData("spf2.0/pra ~all", false)]
    public void IsSpfRecord_VersionMustEndWithSpaceOrRecord(string text, bool expected) =>
        Assert.Equal(expected, SpfParser.IsSpfRecord(text));

    [Fact]
    public async Task Expand_TransformersDelimitersAndUrlEscaping_FollowSection7()
    {
        var context = new SpfMacroContext
        {
            Ip = IPAddress.Parse("192.0.2.3"),
            Sender = "strong-bad@email.example.com",
            Domain = "email.example.com",
            Helo = "mx.example.org",
            Now = DateTimeOffset.FromUnixTimeSeconds(1_000_000_000),
            ValidatedName = _ => Task.FromResult("unknown"),
        };

        // The examples of RFC 7208 section 7.4.
        Assert.Equal("strong-bad@email.example.com", await ExpandAsync("%{s}", context));
        Assert.Equal("email.example.com", await ExpandAsync("%{d}", context));
        Assert.Equal("example.com", await ExpandAsync("%{d2}", context));
        Assert.Equal("com.example.email", await ExpandAsync("%{dr}", context));
        Assert.Equal("example.email", await ExpandAsync("%{d2r}", context));
        Assert.Equal("strong-bad", await ExpandAsync("%{l}", context));
        Assert.Equal("strong.bad", await ExpandAsync("%{l-}", context));
        Assert.Equal("bad.strong", await ExpandAsync("%{lr-}", context));
        Assert.Equal("strong", await ExpandAsync("%{l1r-}", context));
        Assert.Equal("3.2.0.192.in-addr._spf.example.com", await ExpandAsync("%{ir}.%{v}._spf.%{d2}", context));
        Assert.Equal("% %20", await ExpandAsync("%%%_%-", context));
        Assert.Equal("strong-bad%40email.example.com", await ExpandAsync("%{S}", context));
        Assert.Equal("192.0.2.3 unknown 1000000000", await ExpandAsync("%{c} %{r} %{t}", context, explanation: true));

        var v6 = context.ForDomain("email.example.com");
        var six = new SpfMacroContext { Ip = IPAddress.Parse("2001:db8::cb01"), Sender = v6.Sender, Domain = v6.Domain, Helo = v6.Helo, Now = v6.Now, ValidatedName = v6.ValidatedName };
        Assert.Equal("1.0.b.c.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.0.8.b.d.0.1.0.0.2.ip6._spf.example.com", await ExpandAsync("%{ir}.%{v}._spf.%{d2}", six));
    }

    private static async Task<string> ExpandAsync(string text, SpfMacroContext context, bool explanation = false)
    {
        Assert.True(SpfMacroString.TryParse(text, explanation, out var macro, out var error, out _), error);
        return await macro!.ExpandAsync(context, CancellationToken.None);
    }
}
