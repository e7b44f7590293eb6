using System.Text.Json;
using MailHealth.Testing.Reports;

namespace MailHealth.Cli.Tests;

/// <summary><c>mailhealth reports parse</c>: generated report files in, normalised JSON lines or summaries out, and the exit codes.</summary>
public sealed class ReportsParseCommandTests : IDisposable
{
    private static readonly DateTimeOffset Day = new(2026, 5, 1, 0, 0, 0, TimeSpan.Zero);

    private readonly string _folder = Directory.CreateTempSubdirectory("mailhealth-reports-").FullName;

    public void Dispose() => Directory.Delete(_folder, recursive: true);

    private string File(string name, byte[] content)
    {
        var path = Path.Combine(_folder, name);
        System.IO.File.WriteAllBytes(path, content);
        return path;
    }

    private string GoogleMessage() =>
        File("google.eml", Reporters.GoogleMessage(Reporters.Google("example.com", Day, AggregateRows.Mixed("example.com", 14, 5))));

    private string TlsReport() =>
        File("microsoft.json.gz", Containers.Gzip(TlsReportJson.Bytes(Reporters.MicrosoftTls("example.com", Day))));

    private static List<JsonElement> Lines(string output) =>
        [.. output.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement)];

    [Fact]
    public async Task Json_DmarcReport_CarriesTheFieldsAndEveryRecord()
    {
        var path = GoogleMessage();

        var outcome = await CliRunner.RunAsync("reports", "parse", path, "--json");

        Assert.Equal((ExitCodes.Ok, ""), (outcome.ExitCode, outcome.Error));
        var line = Assert.Single(Lines(outcome.Output));
        Assert.Equal(path, line.GetProperty("file").GetString());
        Assert.Equal("dmarc", line.GetProperty("kind").GetString());
        Assert.Equal("parsed", line.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, line.GetProperty("reason").ValueKind);
        Assert.Equal(0, line.GetProperty("warnings").GetArrayLength());
        Assert.Equal("google.com", line.GetProperty("orgName").GetString());
        Assert.Equal("example.com", line.GetProperty("policyDomain").GetString());
        Assert.False(string.IsNullOrEmpty(line.GetProperty("reportId").GetString()));
        Assert.Equal("2026-05-01T00:00:00Z", line.GetProperty("begin").GetString());
        Assert.Equal("2026-05-01T23:59:59Z", line.GetProperty("end").GetString());
        var records = line.GetProperty("records").EnumerateArray().ToList();
        Assert.Equal(14, records.Count);
        var spoofed = records[6];
        Assert.Equal("192.0.2.1", spoofed.GetProperty("sourceIp").GetString());
        Assert.Equal(2, spoofed.GetProperty("count").GetInt64());
        Assert.Equal(("quarantine", "fail", "fail"), (spoofed.GetProperty("disposition").GetString(), spoofed.GetProperty("dkim").GetString(), spoofed.GetProperty("spf").GetString()));
        Assert.Equal("example.com", spoofed.GetProperty("headerFrom").GetString());
        Assert.Equal(JsonValueKind.Null, spoofed.GetProperty("envelopeFrom").ValueKind);
        var dkim = Assert.Single(spoofed.GetProperty("authResults").GetProperty("dkim").EnumerateArray());
        Assert.Equal(("example.org", "s2026", "fail"), (dkim.GetProperty("domain").GetString(), dkim.GetProperty("selector").GetString(), dkim.GetProperty("result").GetString()));
        Assert.Equal("softfail", Assert.Single(spoofed.GetProperty("authResults").GetProperty("spf").EnumerateArray()).GetProperty("result").GetString());
    }

    [Fact]
    public async Task Json_TlsReport_CarriesPoliciesAndFailures()
    {
        var outcome = await CliRunner.RunAsync("reports", "parse", "--json", TlsReport());

        Assert.Equal(ExitCodes.Ok, outcome.ExitCode);
        var line = Assert.Single(Lines(outcome.Output));
        Assert.Equal(("tlsrpt", "parsed", "Microsoft Corporation", "example.com"),
            (line.GetProperty("kind").GetString(), line.GetProperty("status").GetString(), line.GetProperty("orgName").GetString(), line.GetProperty("policyDomain").GetString()));
        var policy = line.GetProperty("policies")[0];
        Assert.Equal(("sts", "example.com", 800, 3), (policy.GetProperty("policyType").GetString(), policy.GetProperty("policyDomain").GetString(), policy.GetProperty("successfulSessions").GetInt32(), policy.GetProperty("failedSessions").GetInt32()));
        Assert.Equal("*.example.com", Assert.Single(policy.GetProperty("mxHosts").EnumerateArray()).GetString());
        var failure = Assert.Single(policy.GetProperty("failures").EnumerateArray());
        Assert.Equal(("validation-failure", "2001:db8::25", "mx1.example.com", 3),
            (failure.GetProperty("resultType").GetString(), failure.GetProperty("sendingMtaIp").GetString(), failure.GetProperty("receivingMxHostname").GetString(), failure.GetProperty("failedSessions").GetInt32()));
        Assert.Equal(JsonValueKind.Null, failure.GetProperty("receivingIp").ValueKind);
    }

    [Fact]
    public async Task Json_AnInvalidInput_IsOneLineWithItsReasonAndExitsOne()
    {
        var good = GoogleMessage();
        var bounce = File("bounce.eml", ReportMail.Bytes(ReportMail.Bounce(Day)));

        var outcome = await CliRunner.RunAsync("reports", "parse", good, bounce, "--json");

        Assert.Equal(ExitCodes.InvalidInput, outcome.ExitCode);
        var lines = Lines(outcome.Output);
        Assert.Equal([good, bounce], lines.Select(l => l.GetProperty("file").GetString()));
        var invalid = lines[1];
        Assert.Equal("invalid", invalid.GetProperty("status").GetString());
        Assert.Equal(JsonValueKind.Null, invalid.GetProperty("kind").ValueKind);
        Assert.Equal("no report in this message (a delivery status notification)", invalid.GetProperty("reason").GetString());
        Assert.All(["orgName", "reportId", "policyDomain", "begin", "end"], name => Assert.Equal(JsonValueKind.Null, invalid.GetProperty(name).ValueKind));
    }

    [Fact]
    public async Task Json_AReportTruncatedMidRecords_IsInvalidAfterItsRecords()
    {
        var xml = AggregateXml.Bytes(Reporters.Google("example.com", Day, AggregateRows.Mixed("example.com", 50, 5)));
        var path = File("cut.xml", HostileInputs.Truncated(xml, 0.7));

        var outcome = await CliRunner.RunAsync("reports", "parse", path, "--json");

        Assert.Equal(ExitCodes.InvalidInput, outcome.ExitCode);
        var line = Assert.Single(Lines(outcome.Output));
        Assert.Equal("invalid", line.GetProperty("status").GetString());
        Assert.StartsWith("malformed XML", line.GetProperty("reason").GetString(), StringComparison.Ordinal);
        Assert.InRange(line.GetProperty("records").GetArrayLength(), 20, 40);
    }

    [Fact]
    public async Task Text_SummarisesEachReport()
    {
        var sloppy = File("sloppy.xml", AggregateXml.Bytes(Reporters.Sloppy("example.com", Day)));

        var outcome = await CliRunner.RunAsync("reports", "parse", GoogleMessage(), sloppy, TlsReport());

        Assert.Equal(ExitCodes.Ok, outcome.ExitCode);
        Assert.Contains("google.eml (attachment 'google.com!example.com!", outcome.Output, StringComparison.Ordinal);
        Assert.Contains(": DMARC aggregate report, parsed", outcome.Output, StringComparison.Ordinal);
        Assert.Contains("  google.com, report ", outcome.Output, StringComparison.Ordinal);
        Assert.Contains(", for example.com, 2026-05-01 00:00:00 to 2026-05-01 23:59:59 UTC", outcome.Output, StringComparison.Ordinal);
        // 14 rows of counts 1 to 5 (40 messages), two of them spoofed (counts 2 and 4).
        Assert.Contains("  14 records, 40 messages, DMARC pass 85.0% (34), policy p=none", outcome.Output, StringComparison.Ordinal);
        Assert.Contains("  3 records, 6 messages, DMARC pass 50.0% (3), policy p=quarantine", outcome.Output, StringComparison.Ordinal);
        Assert.Contains("  warning: policy_evaluated spf 'hardfail' read as fail (pass or fail expected) (record 2)", outcome.Output, StringComparison.Ordinal);
        Assert.Contains("microsoft.json.gz: TLS report, parsed", outcome.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("invalid", outcome.Output, StringComparison.Ordinal);
        Assert.Contains("  2 policies, 843 sessions, successful 99.6% (3 failed)", outcome.Output, StringComparison.Ordinal);
        Assert.Contains("    sts example.com: 800 successful, 3 failed: validation-failure 3", outcome.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Text_AnInputWithoutReport_SaysWhatItIsAndExitsOne()
    {
        var spam = File("spam.eml", ReportMail.Bytes(ReportMail.Spam(Day)));

        var outcome = await CliRunner.RunAsync("reports", "parse", spam);

        Assert.Equal(ExitCodes.InvalidInput, outcome.ExitCode);
        Assert.Equal($"{spam}: invalid: no report in this message (no part is gzip, zip, XML or JSON; its parts: part text/html, attachment 'offer.png')\n", outcome.Output.ReplaceLineEndings("\n"));
    }

    [Fact]
    public async Task NoFile_IsBadUsage()
    {
        var outcome = await CliRunner.RunAsync("reports", "parse", "--json");

        Assert.Equal(ExitCodes.Usage, outcome.ExitCode);
        Assert.Contains("give one or more report files", outcome.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnreadableFile_IsBadUsageNamingIt_BeforeAnythingIsPrinted()
    {
        var missing = Path.Combine(_folder, "missing.xml");

        var outcome = await CliRunner.RunAsync("reports", "parse", GoogleMessage(), missing, _folder);

        Assert.Equal(ExitCodes.Usage, outcome.ExitCode);
        Assert.Contains($"cannot read '{missing}'", outcome.Error, StringComparison.Ordinal);
        Assert.Equal("", outcome.Output);
    }

    [Fact]
    public async Task Process_CapsFromTheEnvironment_RefuseALargerFileAndExitOne()
    {
        var big = File("big.xml", AggregateXml.Bytes(Reporters.Google("example.com", Day, AggregateRows.Mixed("example.com", 400, 5))));

        var outcome = await CliRunner.RunProcessAsync(new Dictionary<string, string> { ["MailHealth__Reports__MaxMessageBytes"] = "65536" }, "reports", "parse", big, "--json");

        Assert.Equal(ExitCodes.InvalidInput, outcome.ExitCode);
        Assert.Equal("refused: more than MailHealth:Reports:MaxMessageBytes (65,536 bytes)", Assert.Single(Lines(outcome.Output)).GetProperty("reason").GetString());
    }

    [Fact]
    public async Task Process_ABadSettingInTheEnvironment_IsBadUsageNamingIt()
    {
        var outcome = await CliRunner.RunProcessAsync(new Dictionary<string, string> { ["MailHealth__Reports__MaxArchiveEntries"] = "0" }, "reports", "parse", GoogleMessage());

        Assert.Equal(ExitCodes.Usage, outcome.ExitCode);
        Assert.Contains("MailHealth:Reports:MaxArchiveEntries: 0 is not in 1-10000", outcome.Error, StringComparison.Ordinal);
        Assert.Equal("", outcome.Output);
    }
}
