using MailHealth.Checks;
using MailHealth.Dns;
using MailHealth.Mx;
using MailHealth.Testing;

namespace MailHealth.Core.Tests.Mx;

/// <summary>
/// Issue 10, defect 1 for the MX lookup: one MX host whose addresses cannot be read (Knot refuses
/// mx.relay.authonly, outside its zones; eng/peers/zones/corp.authonly.zone.in) does not erase the
/// verdict on the others.
/// </summary>
public sealed class MxAuthoritativeOnlyTests
{
    private static Task<MxResult> LookupAsync(string domain, DnsResolver dns) =>
        MxLookup.LookupAsync(Peers.Context(Peers.Target(domain), dns: dns), CancellationToken.None);

    [Fact]
    public async Task Lookup_OneMxHostRefused_KeepsTheVerdictOnTheOthers()
    {
        var result = await LookupAsync("mail.corp.authonly", Peers.Resolver());

        Assert.Equal(CheckStatus.Pass, result.Check.Status);
        Assert.Null(result.Check.Error);
        var uncertain = Assert.Single(result.Check.Findings);
        Assert.Equal(DnsFindingCodes.LookupIncomplete, uncertain.Code);
        Assert.Equal(Severity.Info, uncertain.Severity);
        Assert.Equal("mx.relay.authonly", uncertain.Subject);
        Assert.Contains("A mx.relay.authonly", uncertain.Message, StringComparison.Ordinal);
        Assert.Equal([Peers.Address(57, 9)], result.Hosts.Hosts[0].Addresses);
    }

    [Fact]
    public async Task Lookup_ThroughTheRecursiveResolver_TheAnsweredNameIsUnresolvable()
    {
        // The recursive resolver does answer the name (NXDOMAIN): then the verdict is certain.
        var result = await LookupAsync("mail.corp.authonly", RecursivePeer.Resolver());

        Assert.Equal(CheckStatus.Fail, result.Check.Status);
        var finding = Assert.Single(result.Check.Findings);
        Assert.Equal(MxFindingCodes.HostUnresolvable, finding.Code);
        Assert.Equal("mx.relay.authonly", finding.Subject);
    }

    [Fact]
    public async Task Lookup_EveryMxHostRefused_IsError()
    {
        var result = await LookupAsync("relayonly.corp.authonly", Peers.Resolver());

        Assert.Equal(CheckStatus.Error, result.Check.Status);
        Assert.Contains(result.Check.Findings, f => f.Code == DnsFindingCodes.ServFail && f.Subject == "mx.relay.authonly");
    }
}
