using MailHealth.Dmarc;
using MailHealth.Dns;
using MailHealth.Testing;
using MailHealth.Testing.Dns;

namespace MailHealth.Core.Tests.Dmarc;

/// <summary>External report destination verification against eng/peers/zones/reports.test.zone.in.</summary>
public sealed class DmarcReportAuthorizationTests
{
    [Theory]
    [InlineData("example.test", "example.test", true)]
    [InlineData("reports.example.test", "example.test", true)]
    [InlineData("Reports.EXAMPLE.test", "example.test", true)]
    [InlineData("badexample.test", "example.test", false)]
    [InlineData("example.net", "example.test", false)]
    public void IsInternal_OnlyTheAuthorityAndItsSubdomains(string host, string authority, bool expected)
    {
        Assert.Equal(expected, DmarcReportAuthorization.IsInternal(host, authority));
    }

    [Theory]
    [InlineData("extok.auth.test", "reports.test", true)]
    [InlineData("anyone.example", "wild.reports.test", true)]
    [InlineData("extbad.auth.test", "reports.test", false)]
    [InlineData("extnotdmarc.auth.test", "reports.test", false)]
    public async Task Verify_ReadsTheReportDmarcRecord(string policyDomain, string host, bool authorized)
    {
        var destination = await DmarcReportAuthorization.VerifyAsync(Peers.Resolver(), policyDomain, host, CancellationToken.None);

        Assert.Equal(authorized, destination.Authorized);
        Assert.Equal($"{policyDomain}._report._dmarc.{host}", destination.AuthorizationName);
    }

    [Fact]
    public async Task Verify_NameTooLongForDns_IsNotAuthorizedWithoutAQuery()
    {
        var longDomain = string.Join('.', Enumerable.Repeat(new string('a', 60), 4)) + ".test";

        var destination = await DmarcReportAuthorization.VerifyAsync(Peers.Resolver(), longDomain, "reports.test", CancellationToken.None);

        Assert.False(destination.Authorized);
        Assert.Null(destination.Answer);
    }

    [Fact]
    public async Task Verify_DnsSilent_IsUnknownNotUnauthorized()
    {
        await using var server = ScriptedDnsServer.Start(DnsFault.Drop);

        var destination = await DmarcReportAuthorization.VerifyAsync(
            server.Resolver(TimeSpan.FromMilliseconds(300)), "extok.auth.test", "reports.test", CancellationToken.None);

        Assert.Null(destination.Authorized);
        Assert.Equal(DnsFindingCodes.Timeout, destination.Answer?.FailureCode);
    }
}
