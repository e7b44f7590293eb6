using MailHealth.MtaSts;

namespace MailHealth.Core.Tests.MtaSts;

/// <summary>MX host validation against mx patterns (RFC 8461 section 4.1).</summary>
public sealed class MxPatternTests
{
    [Theory]
    [InlineData("mail.example.com", "mail.example.com", true)]
    [InlineData("mail.example.com", "MAIL.Example.COM.", true)]
    [InlineData("mail.example.com", "mail2.example.com", false)]
    [InlineData("mail.example.com", "a.mail.example.com", false)]
    [InlineData("*.example.net", "mx.example.net", true)]
    [InlineData("*.example.net", "MX1.EXAMPLE.NET", true)]
    [InlineData("*.example.net", "example.net", false)]
    [InlineData("*.example.net", "a.b.example.net", false)]
    [InlineData("*.example.net", "mx.example.net.evil.com", false)]
    [InlineData("*.example.net", "mxexample.net", false)]
    public void Matches_FollowsTheLeftMostLabelWildcardRule(string pattern, string host, bool expected)
    {
        Assert.True(MxPattern.TryParse(pattern, out var parsed));
        Assert.Equal(expected, parsed.Matches(host));
    }

    [Theory]
    [InlineData("")]
    [InlineData("*")]
    [InlineData("*.")]
    [InlineData("mail.*.example.com")]
    [InlineData("*mail.example.com")]
    [InlineData("-bad.example.com")]
    [InlineData("mail..example.com")]
    [InlineData("mail example.com")]
    public void TryParse_NotAPattern_Fails(string text) => Assert.False(MxPattern.TryParse(text, out _));
}
