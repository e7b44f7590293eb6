using System.Text.Json;
using MailHealth.Testing;

namespace MailHealth.Cli.Tests;

/// <summary>
/// <c>mailhealth check --allow-network CIDR</c> and the address policy seen from the command line
/// (docs/address-policy.md): a bad or never network is a usage error naming the option; a
/// private MX is a critical finding; a host given with --host on a refused address is not probed.
/// </summary>
public sealed class CheckAddressPolicyTests
{
    private static string Dns => $"{Peers.Dns.Address}:{Peers.Dns.Port}";

    private static JsonElement Check(JsonElement report, string id) =>
        report.GetProperty("checks").EnumerateArray().Single(c => c.GetProperty("id").GetString() == id);

    private static IEnumerable<string?> Codes(JsonElement check) =>
        check.GetProperty("findings").EnumerateArray().Select(f => f.GetProperty("code").GetString());

    [Theory]
    [InlineData("169.254.0.0/16", "mailhealth: --allow-network '169.254.0.0/16' lies in link-local (169.254.0.0/16, RFC 3927), which is never connected to, whatever the settings say")]
    [InlineData("168.63.129.16/32", "mailhealth: --allow-network '168.63.129.16/32' lies in Azure platform address")]
    [InlineData("10.0.0.5/8", "mailhealth: --allow-network '10.0.0.5/8' has host bits set after the /8 prefix: the network is 10.0.0.0/8")]
    [InlineData("10/8", "mailhealth: --allow-network '10/8' is not a network in CIDR notation")]
    [InlineData("8.8.8.0/24", "mailhealth: --allow-network '8.8.8.0/24' needs no allowing")]
    public async Task Check_BadAllowedNetwork_UsageErrorNamingTheOption(string network, string error)
    {
        var outcome = await CliRunner.RunAsync("check", "example.test", "--allow-network", network);

        Assert.Equal(ExitCodes.Usage, outcome.ExitCode);
        Assert.StartsWith(error, outcome.Error, StringComparison.Ordinal);
        Assert.Equal("", outcome.Output);
    }

    [Fact]
    public async Task Check_MxOnAPrivateAddress_CriticalAndNotProbed()
    {
        var outcome = await CliRunner.RunAsync(["check", "private.mx.test", "--dns", Dns, "--ports", "25", "--dnsbl", "bl.rep.test", "--json", .. Peers.LoopbackNetworkArguments]);

        Assert.Equal(ExitCodes.Critical, outcome.ExitCode);
        using var json = JsonDocument.Parse(outcome.Output);
        Assert.Equal(["MX_PRIVATE_ADDRESS"], Codes(Check(json.RootElement, "mx")));
        var smtp = Check(json.RootElement, "smtp:mx.private.mx.test:25");
        Assert.Equal("error", smtp.GetProperty("status").GetString());
        Assert.Empty(Codes(smtp));
    }

    [Fact]
    public async Task Check_HostOnLoopbackWithoutAllowNetwork_NotProbed()
    {
        var outcome = await CliRunner.RunAsync("check", "private.mx.test", "--host", "127.0.0.1", "--dns", Dns, "--ports", "25", "--dnsbl", "bl.rep.test", "--json");

        using var json = JsonDocument.Parse(outcome.Output);
        var smtp = Check(json.RootElement, "smtp:127.0.0.1:25");
        Assert.Equal("error", smtp.GetProperty("status").GetString());
        Assert.Equal(["SMTP_ADDRESS_NOT_ALLOWED"], Codes(smtp));
        Assert.Contains("127.0.0.1 (loopback, 127.0.0.0/8", smtp.GetProperty("findings")[0].GetProperty("message").GetString(), StringComparison.Ordinal);
    }
}
