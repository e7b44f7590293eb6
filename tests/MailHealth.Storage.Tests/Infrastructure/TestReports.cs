using MailHealth.Checks;
using MailHealth.Reports;
using MailHealth.Runs;
using MailHealth.Targets;

namespace MailHealth.Storage.Tests.Infrastructure;

/// <summary>Reports to store: small realistic ones, and ones with megabytes of evidence.</summary>
public static class TestReports
{
    public static readonly DateTimeOffset Epoch = new(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);

    public static Target Target(string id = "example-com") => new()
    {
        Id = id,
        Domain = "example.com",
        DisplayDomain = "example.com",
        Tags = ["prod", "eu"],
    };

    public static RunId RunAt(string targetId, int slotIndex) => new(targetId, Epoch.AddMinutes(5 * slotIndex));

    public static Report Report(RunId runId, CheckStatus spfStatus = CheckStatus.Pass, IReadOnlyDictionary<string, object?>? smtpEvidence = null, string? domain = null) => new()
    {
        Target = Target(runId.TargetId) with { Domain = domain ?? "example.com" },
        StartedAt = runId.Slot.AddSeconds(3),
        FinishedAt = runId.Slot.AddSeconds(9),
        Status = Reports.Report.Overall([new CheckResult { Id = "spf", Kind = "spf", Subject = "example.com", Status = spfStatus, DurationMs = 1 }]),
        Checks =
        [
            new CheckResult
            {
                Id = "spf",
                Kind = "spf",
                Subject = "example.com",
                Status = spfStatus,
                DurationMs = 12,
                Metrics = new Dictionary<string, double> { ["lookups"] = 4 },
                Evidence = new Dictionary<string, object?> { ["record"] = "v=spf1 include:_spf.example.net -all" },
                Findings = spfStatus == CheckStatus.Pass ? [] : [new Finding("SPF_TOO_MANY_LOOKUPS", Severity.Critical, "example.com", "SPF needs 11 DNS lookups; the limit is 10")],
            },
            new CheckResult
            {
                Id = "smtp:mx1.example.com:25",
                Kind = "smtp",
                Subject = "mx1.example.com:25",
                Status = CheckStatus.Pass,
                DurationMs = 240,
                Metrics = new Dictionary<string, double> { ["connectMs"] = 12.5, ["certDaysLeft"] = 61 },
                Evidence = smtpEvidence ?? new Dictionary<string, object?> { ["banner"] = "220 mx1.example.com ESMTP", ["ehlo"] = new[] { "PIPELINING", "STARTTLS" } },
            },
        ],
    };

    /// <summary>The sample report (a real one of the demo domain, 20 checks) moved to <paramref name="runId"/>.</summary>
    public static Report Sample(RunId runId)
    {
        var json = File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "Infrastructure", "sample-report.json"));
        var report = System.Text.Json.JsonSerializer.Deserialize<Report>(json, ReportJson.Options)!;
        return report with
        {
            Target = report.Target with { Id = runId.TargetId },
            StartedAt = runId.Slot.AddSeconds(2),
            FinishedAt = runId.Slot.AddSeconds(11),
        };
    }

    /// <summary>A report carrying <paramref name="megabytes"/> MB of random (incompressible) evidence text.</summary>
    public static Report Huge(RunId runId, int megabytes, int seed)
    {
        var random = new Random(seed);
        var evidence = new Dictionary<string, object?>();
        const string Alphabet = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
        for (var i = 0; i < megabytes * 4; i++)
        {
            var chars = new char[256 * 1024];
            for (var j = 0; j < chars.Length; j++)
            {
                chars[j] = Alphabet[random.Next(Alphabet.Length)];
            }

            evidence[$"blob{i}"] = new string(chars);
        }

        return Report(runId, smtpEvidence: evidence);
    }
}
