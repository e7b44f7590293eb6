using System.Text.Json;
using MailHealth.Testing;
using MailHealth.Testing.Dns;

namespace MailHealth.Cli.Tests;

/// <summary><c>mailhealth check</c> over several targets: JSON Lines, the summary, the targets file, the exit code.</summary>
public sealed class CheckFleetTests
{
    private static string[] Peer => ["--dns", $"{RecursivePeer.Endpoint.Address}", "--ca-file", Peers.CaFile, "--dnsbl", "bl.rep.test", .. Peers.LoopbackNetworkArguments];

    [Fact]
    public async Task Check_SeveralDomainsJson_OneReportPerLineAndTheWorstExitCode()
    {
        var outcome = await CliRunner.RunAsync(["check", "good.smtp.test", "expired.smtp.test", "notls.smtp.test", "--ports", "25", "--json", .. Peer]);

        var lines = outcome.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(3, lines.Length);
        var domains = lines.Select(l => JsonDocument.Parse(l).RootElement.GetProperty("target").GetProperty("domain").GetString()).Order().ToList();
        Assert.Equal(["expired.smtp.test", "good.smtp.test", "notls.smtp.test"], domains);
        Assert.Equal(ExitCodes.Critical, outcome.ExitCode);
    }

    [Fact]
    public async Task Check_SeveralDomainsReadable_EndsWithASummaryWorstFirst()
    {
        var outcome = await CliRunner.RunAsync(["check", "good.smtp.test", "expired.smtp.test", "--ports", "25", .. Peer]);

        var summary = outcome.Output[outcome.Output.IndexOf("Summary of 2 targets", StringComparison.Ordinal)..].Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.StartsWith("  FAIL", summary[1], StringComparison.Ordinal);
        Assert.Contains("expired.smtp.test", summary[1], StringComparison.Ordinal);
        Assert.Contains("TLS_CERT_EXPIRED", summary[1], StringComparison.Ordinal);
        Assert.Contains("good.smtp.test", summary[2], StringComparison.Ordinal);
        Assert.Equal(2, CountOf(outcome.Output, "MailHealth report for "));
    }

    [Fact]
    public async Task Check_TargetsFile_ChecksEachWithItsOwnSettings()
    {
        var file = Path.GetTempFileName();
        try
        {
            await File.WriteAllTextAsync(file, """
                { "targets": [
                  { "id": "good", "domain": "good.smtp.test", "ports": [25], "dnsbl": ["bl.rep.test"] },
                  { "id": "expiring", "domain": "expiring3.smtp.test", "ports": ["25:smtp"], "dnsbl": ["bl.rep.test"] }
                ] }
                """);

            var outcome = await CliRunner.RunAsync(["check", "--targets", file, "--json", "--concurrency", "2", .. Peer[..4], .. Peers.LoopbackNetworkArguments]);

            Assert.Equal(ExitCodes.Critical, outcome.ExitCode);

            var reports = outcome.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
            Assert.Equal(["expiring", "good"], reports.Select(r => r.GetProperty("target").GetProperty("id").GetString()).Order());
            Assert.All(reports, r => Assert.Single(r.GetProperty("checks").EnumerateArray(), c => c.GetProperty("kind").GetString() == "smtp"));
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Fact]
    public async Task Check_ManyDomainsOfTheFleetZone_StreamsOneLinePerTarget()
    {
        // fleet.test answers for any name: d1 ... d60 are 60 domains on the good Postfix listener.
        var file = Path.GetTempFileName();
        try
        {
            var targets = Enumerable.Range(1, 60).Select(i => $$"""{ "domain": "d{{i}}.fleet.test", "ports": [25], "dnsbl": ["bl.rep.test"] }""");
            await File.WriteAllTextAsync(file, $$"""{ "targets": [ {{string.Join(",", targets)}} ] }""");

            var outcome = await CliRunner.RunAsync(["check", "--targets", file, "--json", "--concurrency", "8", .. Peer[..4], .. Peers.LoopbackNetworkArguments]);

            var reports = outcome.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
            Assert.Equal(60, reports.Select(r => r.GetProperty("target").GetProperty("id").GetString()).Distinct().Count());
            Assert.All(reports, r => Assert.Equal("pass", r.GetProperty("checks").EnumerateArray().Single(c => c.GetProperty("kind").GetString() == "smtp").GetProperty("status").GetString()));
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Theory]
    [InlineData("""{ "targets": [ { "domain": "a.test" }, { "domain": "b.test", "ports": [70000] } ] }""", "targets[1].ports[0]: port 70000 is out of range")]
    [InlineData("""{ "targets": [ { "domain": "a.test", "colour": "red" } ] }""", "targets[0].colour")]
    [InlineData("""{ "targets": [ { "domain": "a.test" }, { "domain": "a.test" } ] }""", "targets[1].id: 'a-test' is already the id of targets[0]")]
    public async Task Check_BadTargetsFile_ExitsTwoNamingThePath(string json, string expected)
    {
        var file = Path.GetTempFileName();
        try
        {
            await File.WriteAllTextAsync(file, json);

            var outcome = await CliRunner.RunAsync("check", "--targets", file);

            Assert.Equal(ExitCodes.Usage, outcome.ExitCode);
            Assert.Contains(expected, outcome.Error, StringComparison.Ordinal);
            Assert.Equal("", outcome.Output);
        }
        finally
        {
            File.Delete(file);
        }
    }

    [Theory]
    [InlineData("--dns", "10")]
    [InlineData("--dns", "1.2.3")]
    [InlineData("--dns", "127.0.0.1:0")]
    [InlineData("--concurrency", "0")]
    public async Task Check_LaxValues_AreUsageErrors(string option, string value)
    {
        // "--dns 10" used to be read as the address 0.0.0.10 (IPAddress.TryParse).
        var outcome = await CliRunner.RunAsync("check", "example.test", option, value);

        Assert.Equal(ExitCodes.Usage, outcome.ExitCode);
        Assert.Contains(option, outcome.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_PerTargetOptionWithOnlyATargetsFile_IsAUsageError()
    {
        var outcome = await CliRunner.RunAsync("check", "--targets", "/nonexistent.json", "--host", "mx.example.test");

        Assert.Equal(ExitCodes.Usage, outcome.ExitCode);
        Assert.Contains("apply to DOMAIN arguments", outcome.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_SeveralDomainsOfOneProvider_ShareTheAnswersTheyHaveInCommon()
    {
        // Four domains behind one mail host, checked one after the other by one invocation: the
        // first target asks for the host, the others get its answer for the answer's TTL.
        const ushort typeA = 1;
        var host = Peers.Address(250, 250).ToString();
        var domains = new[] { "one.fleet.example", "two.fleet.example", "three.fleet.example", "four.fleet.example" };
        var zone = new ScriptedZone().Set("mx.provider.example", ScriptedRecord.A(host));
        foreach (var domain in domains)
        {
            zone.Set(domain, ScriptedRecord.Mx(10, "mx.provider.example"));
        }

        await using var server = ScriptedDnsServer.Start(zone);

        var outcome = await CliRunner.RunAsync([
            "check", .. domains, "--ports", "25", "--json", "--concurrency", "1", "--timeout", "5",
            "--dns", $"{server.EndPoint}", "--dnsbl", "bl.provider.example", .. Peers.LoopbackNetworkArguments]);

        Assert.Equal(4, outcome.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Length);
        Assert.All(domains, d => Assert.Equal(1, server.QueriesFor(d, 15)));
        Assert.Equal(1, server.QueriesFor("mx.provider.example", typeA));
    }

    private static int CountOf(string text, string part)
    {
        var count = 0;
        for (var i = text.IndexOf(part, StringComparison.Ordinal); i >= 0; i = text.IndexOf(part, i + part.Length, StringComparison.Ordinal))
        {
            count++;
        }

        return count;
    }
}
