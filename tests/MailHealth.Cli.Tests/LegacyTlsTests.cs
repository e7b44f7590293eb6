using System.Text.Json;
using MailHealth.Testing;

namespace MailHealth.Cli.Tests;

/// <summary>
/// A Postfix that speaks TLS 1.0 only (legacytls.smtp.test). What MailHealth can report depends on
/// the OpenSSL policy of the machine it runs on, so each case runs the real process with its own.
/// </summary>
public sealed class LegacyTlsTests
{
    private static readonly string[] Args =
        ["check", "legacytls.smtp.test", "--dns", $"{RecursivePeer.Endpoint.Address}", "--ca-file", Peers.CaFile, "--dnsbl", "bl.rep.test", "--json", .. Peers.LoopbackNetworkArguments];

    private static Dictionary<string, string> Policy(string file) =>
        new() { ["OPENSSL_CONF"] = Path.Combine(AppContext.BaseDirectory, "OpenSsl", file) };

    private static IReadOnlyDictionary<string, (string Code, string Severity)[]> SmtpFindings(string json)
    {
        using var document = JsonDocument.Parse(json);
        return document.RootElement.GetProperty("checks").EnumerateArray()
            .Where(c => c.GetProperty("kind").GetString() == "smtp")
            .ToDictionary(
                c => c.GetProperty("subject").GetString()!,
                c => c.GetProperty("findings").EnumerateArray()
                    .Select(f => (f.GetProperty("code").GetString()!, f.GetProperty("severity").GetString()!))
                    .ToArray());
    }

    [Fact]
    public async Task Check_PolicyAllowingTls10_ReportsTheWeakProtocolOnEveryPort()
    {
        var outcome = await CliRunner.RunProcessAsync(Policy("legacy.cnf"), Args);

        var findings = SmtpFindings(outcome.Output);
        Assert.Equal(3, findings.Count);
        Assert.All(findings.Values, f => Assert.Equal([("SMTP_TLS_PROTOCOL_WEAK", "warning")], f));
        Assert.Contains("\"protocol\":\"TLSv1\"", outcome.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_PolicyRefusingTls10_ReportsTheFailedHandshakeNotAWeakProtocol()
    {
        var outcome = await CliRunner.RunProcessAsync(Policy("modern.cnf"), Args);

        var findings = SmtpFindings(outcome.Output);
        Assert.Equal([("SMTP_STARTTLS_FAILED", "critical")], findings["mx.legacytls.smtp.test:25"]);
        Assert.Equal([("SMTP_STARTTLS_FAILED", "critical")], findings["mx.legacytls.smtp.test:587"]);
        Assert.Equal([("SMTP_IMPLICIT_TLS_FAILED", "critical")], findings["mx.legacytls.smtp.test:465"]);
        Assert.Equal(ExitCodes.Critical, outcome.ExitCode);
    }
}
