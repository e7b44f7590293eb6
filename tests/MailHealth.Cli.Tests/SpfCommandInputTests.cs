using System.Text.Json;
using MailHealth.Testing;

namespace MailHealth.Cli.Tests;

/// <summary>
/// Issue 10, defects 2 and 3, through the whole command line (CliApp): an argument starting with
/// <c>@</c> is an argument, not a response file, and <c>mailhealth spf</c> evaluates every MAIL
/// FROM and HELO a receiver can see (RFC 7208 sections 2.3, 4.3, 7.3); only the IP must be valid.
/// </summary>
public sealed class SpfCommandInputTests
{
    private static string Dns => $"{Peers.Dns.Address}:{Peers.Dns.Port}";

    private static string Ip(int c, int d) => Peers.Address(c, d).ToString();

    private static async Task<JsonElement> JsonAsync(params string[] args)
    {
        var outcome = await CliRunner.RunAsync(["spf", .. args, "--dns", Dns, "--json"]);
        Assert.True(outcome.ExitCode == ExitCodes.Ok, $"exit {outcome.ExitCode}: {outcome.Error}");
        using var json = JsonDocument.Parse(outcome.Output);
        return json.RootElement.Clone();
    }

    [Fact]
    public async Task Spf_SenderWithoutLocalPart_IsPostmasterNotAResponseFile()
    {
        // RFC 7208 section 4.3: "@domain" has no local-part; "postmaster" is substituted.
        var json = await JsonAsync("--ip", Ip(20, 1), "--sender", "@good.spf.test");

        Assert.Equal("postmaster@good.spf.test", json.GetProperty("sender").GetString());
        Assert.Equal("pass", json.GetProperty("result").GetString());
    }

    [Fact]
    public async Task Check_DomainStartingWithAt_IsADomainErrorNotAResponseFile()
    {
        var outcome = await CliRunner.RunAsync("check", "@x");

        Assert.Equal(ExitCodes.Usage, outcome.ExitCode);
        Assert.DoesNotContain("esponse file", outcome.Error, StringComparison.Ordinal);
        Assert.Contains("@x", outcome.Error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("\"john smith\"@good.spf.test")]
    [InlineData("\"a\\\"b\"@good.spf.test")]
    [InlineData("a b@good.spf.test")]
    public async Task Spf_QuotedOrSpacedLocalPart_IsEvaluated(string sender)
    {
        var json = await JsonAsync("--ip", Ip(20, 1), "--sender", sender);

        Assert.Equal("pass", json.GetProperty("result").GetString());
        Assert.Equal(sender, json.GetProperty("sender").GetString());
        Assert.Equal("good.spf.test", json.GetProperty("domain").GetString());
    }

    [Theory]
    [InlineData("my laptop")]
    [InlineData("OEMCOMPUTER")]
    [InlineData("[1.2.3.4]")]
    public async Task Spf_NullSenderWithHeloThatIsNoHostName_IsNone(string helo)
    {
        // RFC 7208 section 4.3: postmaster@HELO with a malformed domain gives none, not a usage error.
        var json = await JsonAsync("--ip", Ip(20, 1), "--sender", "", "--helo", helo);

        Assert.Equal("none", json.GetProperty("result").GetString());
        Assert.Equal(helo, json.GetProperty("helo").GetString());
    }

    [Fact]
    public async Task Spf_HeloThatIsNoHostName_StillChecksTheSender()
    {
        var json = await JsonAsync("--ip", Ip(20, 1), "--sender", "user@good.spf.test", "--helo", "my laptop");

        Assert.Equal("pass", json.GetProperty("result").GetString());
        Assert.Equal("my laptop", json.GetProperty("helo").GetString());
    }

    [Theory]
    [InlineData("no-at-sign", "none")]
    [InlineData("a@", "none")]
    public async Task Spf_SenderWithoutDomain_IsEvaluatedAsRfc7208Says(string sender, string result)
    {
        var json = await JsonAsync("--ip", Ip(20, 1), "--sender", sender);

        Assert.Equal(result, json.GetProperty("result").GetString());
    }
}
