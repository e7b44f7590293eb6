using System.Net;
using MailHealth.Checks;
using MailHealth.ReverseDns;

namespace MailHealth.Core.Tests.ReverseDns;

/// <summary>The greeting hostname against the PTR names and the host name, on outcomes built from data.</summary>
public sealed class GreetingNameComparisonTests
{
    private static readonly IPAddress Address = IPAddress.Parse("192.0.2.25");

    [Theory]
    [InlineData("mx.example.com")]
    [InlineData("MX.Example.COM.")]
    [InlineData("smtp-out.example.net")]
    public void Compare_GreetingIsPtrNameOrHostName_NoFinding(string greeting)
    {
        var probe = ProbeOutcomes.Greeting("smtp-out.example.net", 25, Address, greeting);

        Assert.Empty(GreetingNameComparison.Compare(Address, ["mx.example.com."], [probe]));
    }

    [Fact]
    public void Compare_GreetingIsAnotherName_MismatchForThatHostAndPort()
    {
        var probe = ProbeOutcomes.Greeting("mx1.example.com", 25, Address, "localhost.localdomain");

        var finding = Assert.Single(GreetingNameComparison.Compare(Address, ["mx1.example.com"], [probe]));

        Assert.Equal(ReverseDnsFindingCodes.SmtpGreetingHostnameMismatch, finding.Code);
        Assert.Equal(Severity.Info, finding.Severity);
        Assert.Equal("mx1.example.com:25", finding.Subject);
        Assert.Equal("localhost.localdomain", finding.Evidence!["greetingHostname"]);
    }

    [Fact]
    public void Compare_NoPtr_ComparesWithTheHostNameOnly()
    {
        var same = ProbeOutcomes.Greeting("mx1.example.com", 587, Address, "mx1.example.com");
        var other = ProbeOutcomes.Greeting("mx1.example.com", 465, Address, "mail.example.org");

        var findings = GreetingNameComparison.Compare(Address, [], [same, other]);

        Assert.Equal("mx1.example.com:465", Assert.Single(findings).Subject);
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    [InlineData("[192.0.2.25]")]
    [InlineData("192.0.2.25")]
    public void Compare_NoNameInTheGreeting_NothingToCompare(string? greeting)
    {
        var probe = ProbeOutcomes.Greeting("mx1.example.com", 25, Address, greeting);

        Assert.Empty(GreetingNameComparison.Compare(Address, ["mx1.example.com"], [probe]));
    }

    [Fact]
    public void Compare_ProbeOfAnotherAddress_IsNotThisAddresssBusiness()
    {
        var probe = ProbeOutcomes.Greeting("mx2.example.com", 25, IPAddress.Parse("192.0.2.26"), "elsewhere.example.org");
        var unconnected = ProbeOutcomes.Greeting("mx3.example.com", 25, null, "elsewhere.example.org");

        Assert.Empty(GreetingNameComparison.Compare(Address, ["mx1.example.com"], [probe, unconnected]));
    }
}
