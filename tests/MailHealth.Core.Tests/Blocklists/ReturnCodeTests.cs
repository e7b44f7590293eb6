using System.Net;
using MailHealth.Blocklists;

namespace MailHealth.Core.Tests.Blocklists;

/// <summary>What a return code means, and which codes are errors rather than listings.</summary>
public sealed class ReturnCodeTests
{
    private static readonly BlocklistZone Zen = BlocklistCatalog.Default.Find("zen.spamhaus.org");
    private static readonly BlocklistZone Dbl = BlocklistCatalog.Default.Find("dbl.spamhaus.org");

    private static ReturnCode Interpret(string code, BlocklistZone zone) => ReturnCode.Interpret(IPAddress.Parse(code), zone);

    [Theory]
    [InlineData("127.0.0.2", "SBL")]
    [InlineData("127.0.0.3", "CSS")]
    [InlineData("127.0.0.4", "XBL")]
    [InlineData("127.0.0.9", "DROP")]
    [InlineData("127.0.0.10", "PBL")]
    [InlineData("127.0.0.11", "PBL")]
    public void Interpret_ZenListing_HasItsMeaning(string code, string meaning)
    {
        var result = Interpret(code, Zen);

        Assert.False(result.IsError);
        Assert.Contains(meaning, result.Meaning, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("127.255.255.252")]
    [InlineData("127.255.255.254")]
    [InlineData("127.255.255.255")]
    public void Interpret_SpamhausErrorCodes_AreErrorsNeverListings(string code)
    {
        Assert.True(Interpret(code, Zen).IsError);
        Assert.True(Interpret(code, Dbl).IsError);
        Assert.True(Interpret(code, BlocklistZone.Unknown("other.example")).IsError);
    }

    [Fact]
    public void Interpret_DblIpQueriesProhibited_IsAnError()
    {
        Assert.True(Interpret("127.0.1.255", Dbl).IsError);
        Assert.False(Interpret("127.0.1.2", Dbl).IsError);
        Assert.Contains("phishing", Interpret("127.0.1.4", Dbl).Meaning, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("10.0.0.1")]
    [InlineData("192.0.2.1")]
    [InlineData("::1")]
    public void Interpret_AnswerOutsideLoopbackNet_IsAnErrorNotAListing(string code)
    {
        Assert.True(Interpret(code, Zen).IsError);
    }

    [Fact]
    public void Interpret_UnknownZoneListing_SaysTheCode()
    {
        var result = Interpret("127.0.0.7", BlocklistZone.Unknown("other.example"));

        Assert.False(result.IsError);
        Assert.Equal("listed (return code 127.0.0.7)", result.Meaning);
    }
}
