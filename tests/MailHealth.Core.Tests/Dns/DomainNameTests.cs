using MailHealth.Dns;

namespace MailHealth.Core.Tests.Dns;

public sealed class DomainNameTests
{
    [Theory]
    [InlineData("example.com", "example.com", "example.com")]
    [InlineData("Example.COM.", "example.com", "example.com")]
    [InlineData("bücher.example", "xn--bcher-kva.example", "bücher.example")]
    [InlineData("xn--bcher-kva.example", "xn--bcher-kva.example", "bücher.example")]
    [InlineData("  mail.example.org ", "mail.example.org", "mail.example.org")]
    public void TryParse_ValidName_GivesAsciiAndUnicodeForms(string input, string ascii, string unicode)
    {
        Assert.True(DomainName.TryParse(input, out var name, out var error), error);
        Assert.Equal(ascii, name.Ascii);
        Assert.Equal(unicode, name.Unicode);
    }

    [Theory]
    [InlineData("")]
    [InlineData("localhost")]
    [InlineData("under_score.example")]
    [InlineData("space here.example")]
    [InlineData("user@example.com")]
    [InlineData("a..b.example")]
    [InlineData("-lead.example")]
    public void TryParse_InvalidName_FailsWithAReason(string input)
    {
        Assert.False(DomainName.TryParse(input, out var name, out var error));
        Assert.Null(name);
        Assert.False(string.IsNullOrWhiteSpace(error));
    }

    [Fact]
    public void TryParse_LabelOver63Octets_Fails()
    {
        Assert.False(DomainName.TryParse(new string('a', 64) + ".example", out _, out var error));
        Assert.Contains("too long", error, StringComparison.Ordinal);
    }
}
