using System.Collections;
using System.Globalization;
using System.Text.Json;
using MailHealth.Checks;
using MailHealth.Reports;

namespace MailHealth.Cli.Rendering;

/// <summary>
/// The readable report: a headline, the findings worst first (what to fix), every check's status,
/// then each check's evidence (what the server said, which record).
/// </summary>
public static class ReportRenderer
{
    public static void Write(Report report, TextWriter output)
    {
        var target = report.Target;
        var findings = report.Findings.OrderByDescending(f => f.Severity).ThenBy(f => f.Code, StringComparer.Ordinal).ToList();
        var name = target.DisplayDomain.Length > 0 && target.DisplayDomain != target.Domain
            ? $"{target.DisplayDomain} ({target.Domain})"
            : target.Domain;

        output.WriteLine($"MailHealth report for {name}");
        output.WriteLine(Invariant($"Checked {report.StartedAt:yyyy-MM-dd HH:mm:ss}Z in {(report.FinishedAt - report.StartedAt).TotalSeconds:0.0} s: {Label(report.Status)}, {Count(findings, Severity.Critical)} critical, {Count(findings, Severity.Warning)} warning, {Count(findings, Severity.Info)} info"));
        output.WriteLine();

        output.WriteLine("Findings (worst first)");
        if (findings.Count == 0)
        {
            output.WriteLine("  none");
        }

        var codeWidth = findings.Count == 0 ? 0 : findings.Max(f => f.Code.Length);
        var subjectWidth = findings.Count == 0 ? 0 : findings.Max(f => f.Subject.Length);
        foreach (var finding in findings)
        {
            output.WriteLine($"  {SeverityLabel(finding.Severity),-8}  {finding.Code.PadRight(codeWidth)}  {finding.Subject.PadRight(subjectWidth)}  {finding.Message}");
        }

        output.WriteLine();
        output.WriteLine("Checks");
        var idWidth = report.Checks.Count == 0 ? 0 : report.Checks.Max(c => c.Id.Length);
        foreach (var check in report.Checks)
        {
            var note = check.Error is null ? "" : $"  ({check.Error})";
            output.WriteLine(Invariant($"  {Label(check.Status),-5}  {check.Id.PadRight(idWidth)}  {check.DurationMs,6} ms{note}"));
        }

        // Evidence is shown for the checks that have something to say; --json carries all of it.
        var noteworthy = report.Checks.Where(c => c.Status != CheckStatus.Pass || c.Findings.Count > 0).ToList();
        output.WriteLine();
        output.WriteLine(noteworthy.Count == 0
            ? "Details: every check passed (--json shows each check's evidence)"
            : "Details of the checks with findings (--json shows every check's evidence)");
        foreach (var check in noteworthy)
        {
            output.WriteLine($"  {check.Id}");
            foreach (var (key, value) in check.Evidence)
            {

                WriteValue(output, key, value, "    ");
            }

            if (check.Metrics.Count > 0)
            {
                output.WriteLine("    metrics: " + string.Join(", ", check.Metrics.Select(m => Invariant($"{m.Key} {m.Value:0.##}"))));
            }
        }
    }

    private static void WriteValue(TextWriter output, string key, object? value, string indent)
    {
        switch (value)
        {
            case null:
                return;
            case string text when text.Contains('\n', StringComparison.Ordinal):
                output.WriteLine($"{indent}{key}:");
                foreach (var line in text.Split('\n'))
                {
                    output.WriteLine($"{indent}  {line.TrimEnd('\r')}");
                }

                break;
            case string or bool or IFormattable:
                output.WriteLine($"{indent}{key}: {Scalar(value)}");
                break;
            case IEnumerable items when items.Cast<object?>().All(i => i is string or IFormattable):
                var list = items.Cast<object?>().Select(Scalar).ToList();
                if (list.Count == 0)
                {
                    output.WriteLine($"{indent}{key}: none");
                }
                else if (list.Sum(i => i.Length) < 80)
                {
                    output.WriteLine($"{indent}{key}: {string.Join(", ", list)}");
                }
                else
                {
                    output.WriteLine($"{indent}{key}:");
                    foreach (var item in list)
                    {
                        output.WriteLine($"{indent}  {item}");
                    }
                }

                break;
            default:
                // Structured evidence (parsed records, trees): compact JSON, one line.
                output.WriteLine($"{indent}{key}: {JsonSerializer.Serialize(value, Compact)}");
                break;
        }
    }

    private static readonly JsonSerializerOptions Compact = new(ReportJson.Options) { WriteIndented = false };

    private static string Scalar(object? value) => value switch
    {
        null => "",
        bool b => b ? "yes" : "no",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    private static int Count(IEnumerable<Finding> findings, Severity severity) => findings.Count(f => f.Severity == severity);

    private static string Label(CheckStatus status) => status switch
    {
        CheckStatus.Pass => "PASS",
        CheckStatus.Warn => "WARN",
        CheckStatus.Fail => "FAIL",
        _ => "ERROR",
    };

    private static string SeverityLabel(Severity severity) => severity switch
    {
        Severity.Critical => "CRITICAL",
        Severity.Warning => "WARNING",
        _ => "INFO",
    };

    private static string Invariant(FormattableString text) => text.ToString(CultureInfo.InvariantCulture);
}
