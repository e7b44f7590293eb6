using System.Text;
using MailHealth.MtaSts;

namespace MailHealth.Core.Tests.MtaSts;

/// <summary>Parsing of the policy body (RFC 8461 section 3.2).</summary>
public sealed class MtaStsPolicyParserTests
{
    [Theory]
    [InlineData("version: STSv1\r\nmode: enforce\r\nmx: mail.example.com\r\nmx: *.example.net\r\nmax_age: 604800\r\n")]
    [InlineData("version: STSv1\nmode: enforce\nmx: mail.example.com\nmx: *.example.net\nmax_age: 604800")]
    [InlineData("version:STSv1\nmode:\tenforce  \nmx: mail.example.com\nmx: *.example.net\nmax_age: 604800\n\n")]
    public void Parse_ValidPolicy_LineEndsAndSpacingDoNotMatter(string text)
    {
        var result = MtaStsPolicyParser.Parse(text);

        Assert.True(result.IsValid, string.Join("; ", result.Errors));
        Assert.Equal(MtaStsMode.Enforce, result.Policy!.Mode);
        Assert.Equal(604800, result.Policy.MaxAgeSeconds);
        Assert.Equal(["mail.example.com", "*.example.net"], result.Policy.Mx.Select(p => p.Text));
    }

    [Fact]
    public void Parse_UnknownFieldsAndDuplicates_FirstNonMxValueWinsUnknownIgnored()
    {
        var result = MtaStsPolicyParser.Parse("version: STSv1\nmode: testing\nmode: enforce\nx-custom: anything at all\nmax_age: 0\nmx: a.example.com\n");

        Assert.True(result.IsValid, string.Join("; ", result.Errors));
        Assert.Equal(MtaStsMode.Testing, result.Policy!.Mode);
        Assert.Equal(0, result.Policy.MaxAgeSeconds);
    }

    [Fact]
    public void Parse_ModeNone_NeedsNoMx()
    {
        var result = MtaStsPolicyParser.Parse("version: STSv1\nmode: none\nmax_age: 86400\n");

        Assert.True(result.IsValid);
        Assert.Empty(result.Policy!.Mx);
    }

    [Fact]
    public void Parse_MaxAgeAtTheLimit_IsValid() =>
        Assert.True(MtaStsPolicyParser.Parse("version: STSv1\nmode: none\nmax_age: 31557600\n").IsValid);

    [Theory]
    [InlineData("mode: enforce\nmx: a.example.com\nmax_age: 1\n", "version field is missing")]
    [InlineData("version: STSv2\nmode: enforce\nmx: a.example.com\nmax_age: 1\n", "not STSv1")]
    [InlineData("version: STSv1\nmx: a.example.com\nmax_age: 1\n", "mode field is missing")]
    [InlineData("version: STSv1\nmode: Enforce\nmx: a.example.com\nmax_age: 1\n", "is not enforce, testing or none")]
    [InlineData("version: STSv1\nmode: enforce\nmx: a.example.com\n", "max_age field is missing")]
    [InlineData("version: STSv1\nmode: enforce\nmx: a.example.com\nmax_age: 31557601\n", "above the limit")]
    [InlineData("version: STSv1\nmode: enforce\nmx: a.example.com\nmax_age: -1\n", "not a number")]
    [InlineData("version: STSv1\nmode: enforce\nmx: a.example.com\nmax_age: 12345678901\n", "not a number")]
    [InlineData("version: STSv1\nmode: enforce\nmax_age: 1\n", "no mx pattern")]
    [InlineData("version: STSv1\nmode: testing\nmax_age: 1\n", "no mx pattern")]
    [InlineData("version: STSv1\nmode: enforce\nmx: *.*.example.com\nmax_age: 1\n", "neither a host name")]
    [InlineData("version: STSv1\nmode: enforce\nmx: mail.exämple.com\nmax_age: 1\n", "neither a host name")]
    [InlineData("version: STSv1\nmode: enforce\nmx: a.example.com\nmax_age: 1\njust some words\n", "line 5 is not 'key: value'")]
    [InlineData("<html><body>Not found</body></html>", "not 'key: value'")]
    public void Parse_BrokenPolicy_NamesTheProblem(string text, string problem)
    {
        var result = MtaStsPolicyParser.Parse(text);

        Assert.False(result.IsValid);
        Assert.Contains(result.Errors, e => e.Contains(problem, StringComparison.Ordinal));
    }

    [Fact]
    public void Parse_InvalidUtf8_IsAnError()
    {
        var bytes = Encoding.ASCII.GetBytes("version: STSv1\nmode: none\nmax_age: 1\nx: ").Concat(new byte[] { 0xff, 0xfe }).ToArray();

        var result = MtaStsPolicyParser.Parse(bytes);

        Assert.False(result.IsValid);
        Assert.Contains("UTF-8", Assert.Single(result.Errors), StringComparison.Ordinal);
    }
}
