using MailHealth.Testing;
using MailHealth.Testing.Schemas;

namespace MailHealth.Cli.Tests;

/// <summary>docs/report.schema.json describes what <c>mailhealth check --json</c> really prints, for healthy and broken targets and every kind of check.</summary>
public sealed class ReportSchemaTests
{
    [Fact]
    public async Task CheckJson_EveryReport_MatchesThePublishedSchema()
    {
        var outcome = await CliRunner.RunAsync(
        [
            "check", "demo.test", "expired.smtp.test", "good.smtp.test", "nonexistent.invalid", "--json",
            "--dkim-selector", "mail", "--bimi-selector", "brand", "--sending-ip", "127.0.0.2",
            "--dns", $"{RecursivePeer.Endpoint.Address}", "--ca-file", Peers.CaFile, "--dnsbl", "bl.rep.test", .. Peers.LoopbackNetworkArguments,
        ]);

        var lines = outcome.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(4, lines.Length);
        foreach (var line in lines)
        {
            var errors = SchemaValidator.ReportErrors(line);
            Assert.True(errors.Count == 0, string.Join('\n', errors) + "\n" + line);
        }

        // The schema can fail: a report missing its checks, or with a status it does not know, is refused.
        Assert.NotEmpty(SchemaValidator.ReportErrors(lines[0].Replace("\"checks\":", "\"checkz\":", StringComparison.Ordinal)));
        Assert.NotEmpty(SchemaValidator.ReportErrors("""{"target":{"id":"x","domain":"x.test"},"startedAt":"2026-11-29T00:00:00Z","finishedAt":"2026-11-29T00:00:00Z","status":"fine","checks":[]}"""));
    }
}
