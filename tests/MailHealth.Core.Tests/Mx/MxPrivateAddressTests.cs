using System.Net;
using MailHealth.Checks;
using MailHealth.Mx;
using MailHealth.Network;
using MailHealth.Testing;

namespace MailHealth.Core.Tests.Mx;

/// <summary>
/// MX_PRIVATE_ADDRESS on the mx.test zone (eng/peers/zones/mx.test.zone.in): mail hosts that
/// resolve to addresses which are not on the internet. Resolving them is what these tests do;
/// the address policy keeps every probe from connecting (AddressPolicyEndToEndTests).
/// </summary>
public sealed class MxPrivateAddressTests
{
    private static Task<MxResult> LookupAsync(string domain) =>
        MxLookup.LookupAsync(Peers.Context(Peers.Target(domain)), CancellationToken.None);

    /// <summary>The result's one finding, MX_PRIVATE_ADDRESS of <paramref name="severity"/>.</summary>
    private static Finding PrivateAddress(MxResult result, Severity severity)
    {
        var finding = Assert.Single(result.Check.Findings);
        Assert.Equal((MxFindingCodes.PrivateAddress, severity), (finding.Code, finding.Severity));
        return finding;
    }

    [Fact]
    public async Task Lookup_MxOnlyOnPrivateAddresses_Critical()
    {
        var result = await LookupAsync("private.mx.test");

        var finding = PrivateAddress(result, Severity.Critical);
        Assert.Equal("mx.private.mx.test", finding.Subject);
        Assert.Equal(
            "MX host mx.private.mx.test resolves to 10.0.0.5 (private-use, 10.0.0.0/8, RFC 1918); fd00::25 (unique-local, fc00::/7, RFC 4193), "
            + "not an internet address: mail from the internet cannot be delivered to it; the monitor does not connect to it",
            finding.Message);
        var addresses = Assert.IsType<List<Dictionary<string, object?>>>(finding.Evidence!["addresses"]);
        Assert.Equal(["10.0.0.5", "fd00::25"], addresses.Select(a => a["address"]));
        Assert.Equal(CheckStatus.Fail, result.Check.Status);
        // The host stays in the set: the SMTP check says it was not probed, and why.
        Assert.Equal(["mx.private.mx.test"], result.Hosts.Hosts.Select(h => h.Name));
    }

    [Fact]
    public async Task Lookup_OnePrivateAddressBesideAnAllowedOne_Warning()
    {
        var result = await LookupAsync("partprivate.mx.test");

        var finding = PrivateAddress(result, Severity.Warning);
        Assert.Contains("192.168.0.25 (private-use, 192.168.0.0/16, RFC 1918)", finding.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(Peers.Address(1, 1).ToString(), finding.Message, StringComparison.Ordinal);
        Assert.Contains("senders that try that address fail", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Lookup_ImplicitMxOnAPrivateAddress_Critical()
    {
        var result = await LookupAsync("privateimplicit.mx.test");

        var finding = PrivateAddress(result, Severity.Critical);
        Assert.StartsWith("privateimplicit.mx.test, the implicit MX (no MX record), resolves to 172.16.0.25 (private-use, 172.16.0.0/12, RFC 1918)", finding.Message, StringComparison.Ordinal);
        Assert.Equal(MailHostSource.ImplicitMx, result.Hosts.Source);
    }

    [Fact]
    public async Task Lookup_MxOnTheMetadataAddress_CriticalAndNeverConnected()
    {
        var result = await LookupAsync("metadata.mx.test");

        var finding = PrivateAddress(result, Severity.Critical);
        Assert.Contains("169.254.169.254 (cloud instance metadata (Azure, AWS, Google Cloud)", finding.Message, StringComparison.Ordinal);
        var address = Assert.Single(Assert.IsType<List<Dictionary<string, object?>>>(finding.Evidence!["addresses"]));
        Assert.Equal("never", address["rule"]);
    }

    [Fact]
    public async Task Lookup_PrivateNetworkAllowed_ProbedAndNotFlagged()
    {
        // A monitor of internal mail allows its network: the host is then the monitor's to probe.
        var options = Peers.Options(o => new CheckOptions { ExtraTrustRoots = o.ExtraTrustRoots, AllowedNetworks = ["10.0.0.0/8", "fc00::/7"] });

        var result = await MxLookup.LookupAsync(Peers.Context(Peers.Target("private.mx.test"), options), CancellationToken.None);

        Assert.Empty(result.Check.Findings);
        Assert.True(options.AddressPolicy.Judge(IPAddress.Parse("10.0.0.5")).Permitted);
    }

    [Fact]
    public async Task Lookup_LoopbackMxWhenLoopbackIsNotAllowed_Critical()
    {
        // good.mx.test's hosts are the peers' loopback addresses, allowed in every other test.
        var options = new CheckOptions { ExtraTrustRoots = Peers.TestRoots() };

        var result = await MxLookup.LookupAsync(Peers.Context(Peers.Target("good.mx.test"), options), CancellationToken.None);

        Assert.Equal(2, result.Check.Findings.Count(f => f.Code == MxFindingCodes.PrivateAddress && f.Severity == Severity.Critical));
        Assert.Empty(options.AllowedNetworks);
        Assert.Same(options.AddressPolicy, options.AddressPolicy);
        Assert.Empty(options.AddressPolicy.AllowedNetworks);
        Assert.Equal(AddressRule.Refused, options.AddressPolicy.Judge(Peers.Address(1, 1)).Rule);
    }
}
