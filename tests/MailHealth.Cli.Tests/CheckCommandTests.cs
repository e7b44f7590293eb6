using System.Text.Json;
using MailHealth.Testing;

namespace MailHealth.Cli.Tests;

/// <summary><c>mailhealth check</c>: usage errors, exit codes, the JSON schema, IDN.</summary>
public sealed class CheckCommandTests
{
    private static string Dns => $"{Peers.Dns.Address}:{Peers.Dns.Port}";

    [Theory]
    [InlineData("check", "bad domain")]
    [InlineData("check", "user@example.test")]
    [InlineData("check", "nodots")]
    [InlineData("check", "example.test", "--ports", "99")]
    [InlineData("check", "example.test", "--ports", "25:relay")]
    [InlineData("check", "example.test", "--ports", "70000")]
    [InlineData("check", "example.test", "--ports", "25,25")]
    [InlineData("check", "example.test", "--dns", "not-an-ip")]
    [InlineData("check", "example.test", "--sending-ip", "300.1.1.1")]
    [InlineData("check", "example.test", "--sending-ip", "1.2.3")]
    [InlineData("check", "example.test", "--dkim-selector", "bad selector")]
    [InlineData("check", "example.test", "--dnsbl", "-bad-.test")]
    [InlineData("check", "example.test", "--checks", "smtp,smpt")]
    [InlineData("check", "example.test", "--checks", ",")]
    [InlineData("check", "example.test", "--timeout", "0")]
    [InlineData("check", "example.test", "--ca-file", "/nonexistent/ca.pem")]
    [InlineData("check", "example.test", "--no-such-option")]
    [InlineData("check")]
    [InlineData("no-such-command")]
    public async Task Check_BadInput_ExitsTwoWithOneClearLine(params string[] args)
    {
        var outcome = await CliRunner.RunAsync(args);

        Assert.Equal(ExitCodes.Usage, outcome.ExitCode);
        Assert.StartsWith("mailhealth: ", outcome.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", outcome.Error, StringComparison.Ordinal);
        Assert.Equal("", outcome.Output);
    }

    [Fact]
    public async Task Check_CaFileWithoutCertificates_IsUsageError()
    {
        var empty = Path.GetTempFileName();
        try
        {
            var outcome = await CliRunner.RunAsync("check", "example.test", "--ca-file", empty);

            Assert.Equal(ExitCodes.Usage, outcome.ExitCode);
            Assert.Contains("holds no PEM certificate", outcome.Error, StringComparison.Ordinal);
        }
        finally
        {
            File.Delete(empty);
        }
    }

    [Fact]
    public async Task Check_CriticalFinding_ExitsOneAndReportsIt()
    {
        var outcome = await CliRunner.RunAsync("check", "literal.mx.test", "--dns", Dns);

        Assert.Equal(ExitCodes.Critical, outcome.ExitCode);
        Assert.Contains("CRITICAL  MX_IS_IP_LITERAL", outcome.Output, StringComparison.Ordinal);
        Assert.Contains("FAIL", outcome.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_NoCriticalFinding_ExitsZero()
    {
        var outcome = await CliRunner.RunAsync("check", "nullmx.mx.test", "--dns", Dns);

        Assert.Equal(ExitCodes.Ok, outcome.ExitCode);
        Assert.Contains("INFO      MX_NULL", outcome.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_Json_FollowsTheSharedSchema()
    {
        var outcome = await CliRunner.RunAsync("check", "literal.mx.test", "--dns", Dns, "--json");

        using var json = JsonDocument.Parse(outcome.Output);
        var root = json.RootElement;
        Assert.Equal("literal.mx.test", root.GetProperty("target").GetProperty("domain").GetString());
        Assert.True(root.TryGetProperty("startedAt", out _));
        Assert.True(root.TryGetProperty("finishedAt", out _));
        Assert.Equal("fail", root.GetProperty("status").GetString());
        var mx = root.GetProperty("checks").EnumerateArray().Single(c => c.GetProperty("id").GetString() == "mx");
        foreach (var field in new[] { "kind", "subject", "status", "durationMs", "metrics", "evidence", "findings" })
        {
            Assert.True(mx.TryGetProperty(field, out _), $"check lacks '{field}'");
        }

        var finding = mx.GetProperty("findings").EnumerateArray().Single();
        Assert.Equal("MX_IS_IP_LITERAL", finding.GetProperty("code").GetString());
        Assert.Equal("critical", finding.GetProperty("severity").GetString());
        Assert.False(string.IsNullOrEmpty(finding.GetProperty("subject").GetString()));
        Assert.False(string.IsNullOrEmpty(finding.GetProperty("message").GetString()));
    }

    [Fact]
    public async Task Check_UnreachableDns_IsErrorNotFail()
    {
        // Nothing listens on this loopback port: the lookups fail, which says nothing about the domain.
        var outcome = await CliRunner.RunAsync("check", "good.mx.test", "--dns", $"{Peers.Address(0, 99)}:53", "--json");

        using var json = JsonDocument.Parse(outcome.Output);
        var mx = json.RootElement.GetProperty("checks").EnumerateArray().Single(c => c.GetProperty("id").GetString() == "mx");
        Assert.Equal("error", mx.GetProperty("status").GetString());
        Assert.Contains(mx.GetProperty("findings").EnumerateArray(), f => f.GetProperty("code").GetString() is "DNS_TIMEOUT" or "DNS_SERVFAIL");
    }

    [Fact]
    public async Task Check_IdnDomain_PunycodeOnTheWireUnicodeInTheReport()
    {
        var outcome = await CliRunner.RunAsync(["check", "bücher.mx.test", "--dns", Dns, "--ports", "25", "--json", .. Peers.LoopbackNetworkArguments]);

        using var json = JsonDocument.Parse(outcome.Output);
        var target = json.RootElement.GetProperty("target");
        Assert.Equal("xn--bcher-kva.mx.test", target.GetProperty("domain").GetString());
        Assert.Equal("bücher.mx.test", target.GetProperty("displayDomain").GetString());
        var mx = json.RootElement.GetProperty("checks").EnumerateArray().Single(c => c.GetProperty("id").GetString() == "mx");
        Assert.Equal("pass", mx.GetProperty("status").GetString());

        var text = await CliRunner.RunAsync(["check", "xn--bcher-kva.mx.test", "--dns", Dns, "--ports", "25", .. Peers.LoopbackNetworkArguments]);
        Assert.Contains("MailHealth report for bücher.mx.test (xn--bcher-kva.mx.test)", text.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_Checks_RunsOnlyThoseAndWhatTheyNeed()
    {
        var outcome = await CliRunner.RunAsync(["check", "good.smtp.test", "--dns", Dns, "--ports", "25", "--checks", "SMTP", "--json", "--ca-file", Peers.CaFile, .. Peers.LoopbackNetworkArguments]);

        using var json = JsonDocument.Parse(outcome.Output);
        Assert.Equal(["mx", "smtp:mx.good.smtp.test:25"], json.RootElement.GetProperty("checks").EnumerateArray().Select(c => c.GetProperty("id").GetString()));
        Assert.Equal(["smtp"], json.RootElement.GetProperty("target").GetProperty("checks").EnumerateArray().Select(c => c.GetString()));
        Assert.Equal(ExitCodes.Ok, outcome.ExitCode);
    }

    [Fact]
    public async Task Check_UnknownCheck_NamesTheOptionAndTheKinds()
    {
        var outcome = await CliRunner.RunAsync("check", "example.test", "--checks", "smtp,dkmi");

        Assert.Equal(ExitCodes.Usage, outcome.ExitCode);
        Assert.Contains("--checks: 'dkmi' is not a check; the checks are mx, smtp,", outcome.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Process_BadUsage_ExitsTwoWithoutStackTrace()
    {
        var outcome = await CliRunner.RunProcessAsync("check", "exa mple.test");

        Assert.Equal(ExitCodes.Usage, outcome.ExitCode);
        Assert.Contains("is not a valid domain name", outcome.Error, StringComparison.Ordinal);
        Assert.DoesNotContain("Exception", outcome.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Process_Help_ListsTheCheckOptions()
    {
        var outcome = await CliRunner.RunProcessAsync("check", "--help");

        Assert.Equal(0, outcome.ExitCode);
        foreach (var option in new[] { "--host", "--ports", "--dkim-selector", "--sending-ip", "--checks", "--dns", "--dnsbl", "--ca-file", "--relay-test", "--json", "--timeout", "--allow-network" })
        {
            Assert.Contains(option, outcome.Output, StringComparison.Ordinal);
        }
    }
}
