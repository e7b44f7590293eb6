using System.Text.Json;
using MailHealth.Testing;

namespace MailHealth.Cli.Tests;

/// <summary>
/// <c>mailhealth check</c> end to end against the real peers: Postfix on loopback, Knot and
/// rbldnsd behind unbound, nginx for MTA-STS. What a user sees.
/// </summary>
public sealed class CheckCommandPostfixTests
{
    private static readonly string[] Peer =
        ["--dns", $"{RecursivePeer.Endpoint.Address}", "--ca-file", Peers.CaFile, "--dnsbl", "bl.rep.test", "--dnsbl", "dbl.rep.test", .. Peers.LoopbackNetworkArguments];

    private static Task<CliRunner.Outcome> CheckAsync(params string[] args) => CliRunner.RunAsync(["check", .. args, .. Peer]);

    [Fact]
    public async Task Check_DemoDomain_EverySectionInTheReportAndOnlyTheTwoPlantedWarnings()
    {
        var outcome = await CheckAsync("demo.test", "--dkim-selector", "mail");

        Assert.Equal(ExitCodes.Ok, outcome.ExitCode);
        foreach (var id in new[]
        {
            "mx", "smtp:mx.good.smtp.test:25", "smtp:mx.good.smtp.test:587", "smtp:mx.good.smtp.test:465", "spf", "dkim:mail",
            "dmarc", "mta-sts", "tls-rpt", "dnssec", "dane:mx.good.smtp.test", "bimi:default", "ptr:", "dnsbl:", "dnsbl-zone:bl.rep.test",
        })
        {
            Assert.Contains("  " + id, outcome.Output, StringComparison.Ordinal);
        }

        // The test zones are not signed: the dnssec check says so as info.
        Assert.Contains("WARN, 0 critical, 2 warning, 1 info", outcome.Output, StringComparison.Ordinal);
        Assert.Contains("INFO      DNSSEC_UNSIGNED", outcome.Output, StringComparison.Ordinal);
        Assert.Contains("WARNING   DKIM_KEY_WEAK", outcome.Output, StringComparison.Ordinal);
        Assert.Contains("WARNING   DMARC_POLICY_NONE", outcome.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_BimiSelector_IsCheckedBesideDefault()
    {
        var outcome = await CheckAsync("good.bimi.test", "--bimi-selector", "Brand", "--ports", "25", "--json");

        using var json = JsonDocument.Parse(outcome.Output);
        var ids = json.RootElement.GetProperty("checks").EnumerateArray().Select(c => c.GetProperty("id").GetString()).ToList();
        Assert.Contains("bimi:default", ids);
        Assert.Contains("bimi:brand", ids);
    }

    [Fact]
    public async Task Check_BadBimiSelector_IsUsageError()
    {
        var outcome = await CheckAsync("good.bimi.test", "--bimi-selector", "a b");

        Assert.Equal(ExitCodes.Usage, outcome.ExitCode);
        Assert.Contains("--bimi-selector", outcome.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_ExpiredCertificate_ExitsOneWithTheCodeSubjectAndEvidence()
    {
        var outcome = await CheckAsync("expired.smtp.test", "--ports", "587");

        Assert.Equal(ExitCodes.Critical, outcome.ExitCode);
        Assert.Contains("CRITICAL  TLS_CERT_EXPIRED", outcome.Output, StringComparison.Ordinal);
        Assert.Contains("mx.expired.smtp.test:587", outcome.Output, StringComparison.Ordinal);
        // The evidence of the failing check is shown: the certificate and the transcript.
        Assert.Contains("subject: CN=mx.expired.smtp.test", outcome.Output, StringComparison.Ordinal);
        Assert.Contains("daysLeft: -", outcome.Output, StringComparison.Ordinal);
        Assert.Contains("S: 220 ", outcome.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_Json_CarriesEveryCheckWithItsEvidence()
    {
        var outcome = await CheckAsync("demo.test", "--dkim-selector", "mail", "--json");

        using var json = JsonDocument.Parse(outcome.Output);
        var checks = json.RootElement.GetProperty("checks").EnumerateArray().ToList();
        var smtp = checks.Single(c => c.GetProperty("id").GetString() == "smtp:mx.good.smtp.test:25");
        Assert.Equal("pass", smtp.GetProperty("status").GetString());
        Assert.StartsWith("220 mx.good.smtp.test", smtp.GetProperty("evidence").GetProperty("greeting")[0].GetString(), StringComparison.Ordinal);
        Assert.True(smtp.GetProperty("metrics").GetProperty("totalMs").GetDouble() > 0);
        var spf = checks.Single(c => c.GetProperty("id").GetString() == "spf");
        Assert.Equal("v=spf1 mx ip4:" + Peers.Net + ".10.0/24 -all", spf.GetProperty("evidence").GetProperty("record").GetString());
    }
}

/// <summary>Tests that set process environment variables: they run alone, never beside another test.</summary>
[CollectionDefinition(nameof(EnvironmentCollection), DisableParallelization = true)]
public sealed class EnvironmentCollection;

[Collection(nameof(EnvironmentCollection))]
public sealed class CheckCommandCredentialTests
{
    private static readonly string[] Peer = ["--dns", $"{RecursivePeer.Endpoint.Address}", "--ca-file", Peers.CaFile, "--dnsbl", "bl.rep.test", .. Peers.LoopbackNetworkArguments];

    private static Task<CliRunner.Outcome> CheckAsync(params string[] args) => CliRunner.RunAsync(["check", .. args, .. Peer]);

    [Fact]
    public async Task Check_CredentialsFromTheEnvironment_AreUsedAndNeverPrinted()
    {
        var credentials = File.ReadAllLines(Path.Combine(Peers.State, "postfix", "credentials"))
            .Select(l => l.Split('=', 2)).ToDictionary(p => p[0], p => p[1]);
        const string wrong = "definitely-not-the-password-42";
        Environment.SetEnvironmentVariable(Commands.CheckCommand.UserNameVariable, credentials["user"]);
        Environment.SetEnvironmentVariable(Commands.CheckCommand.PasswordVariable, wrong);
        try
        {
            var outcome = await CheckAsync("good.smtp.test", "--ports", "587", "--json");

            Assert.Contains("SMTP_AUTH_FAILED", outcome.Output, StringComparison.Ordinal);
            Assert.DoesNotContain(wrong, outcome.Output, StringComparison.Ordinal);
            Assert.DoesNotContain(wrong, outcome.Error, StringComparison.Ordinal);
        }
        finally
        {
            Environment.SetEnvironmentVariable(Commands.CheckCommand.UserNameVariable, null);
            Environment.SetEnvironmentVariable(Commands.CheckCommand.PasswordVariable, null);
        }
    }
}
