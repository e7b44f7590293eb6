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
                // Structured evidence (parsed records, certificates, trees): through its JSON form,
                // so that it reads the same as in --json, as indented "name: value" lines.
                WriteElement(output, key, JsonSerializer.SerializeToElement(value, ReportJson.Options), indent, depth: 0);
                break;
        }
    }

    private const int MaxDepth = 12;

    private static void WriteElement(TextWriter output, string key, JsonElement element, string indent, int depth)
    {
        switch (element.ValueKind)
        {
            case JsonValueKind.Null or JsonValueKind.Undefined:
                return;
            case JsonValueKind.Object when depth >= MaxDepth:
            case JsonValueKind.Array when depth >= MaxDepth:
                output.WriteLine($"{indent}{key}: {element.GetRawText()}");
                return;
            case JsonValueKind.Object when IsFlat(element):
                output.WriteLine($"{indent}{key}: {Flat(element)}");
                return;
            case JsonValueKind.Object:
                output.WriteLine($"{indent}{key}:");
                foreach (var property in element.EnumerateObject())
                {
                    WriteElement(output, property.Name, property.Value, indent + "  ", depth + 1);
                }

                return;
            case JsonValueKind.Array when element.GetArrayLength() == 0:
                output.WriteLine($"{indent}{key}: none");
                return;
            case JsonValueKind.Array:
                output.WriteLine($"{indent}{key}:");
                // All items one way or the other: a list reads best when its items look alike.
                var flat = element.EnumerateArray().All(i => i.ValueKind != JsonValueKind.Object || IsFlat(i));
                foreach (var item in element.EnumerateArray())
                {
                    if (item.ValueKind == JsonValueKind.Object && !flat)
                    {
                        output.WriteLine($"{indent}  -");
                        foreach (var property in item.EnumerateObject())
                        {
                            WriteElement(output, property.Name, property.Value, indent + "    ", depth + 2);
                        }
                    }
                    else
                    {
                        output.WriteLine($"{indent}  - {(item.ValueKind == JsonValueKind.Object ? Flat(item) : ScalarOf(item))}");
                    }
                }

                return;
            default:
                output.WriteLine($"{indent}{key}: {ScalarOf(element)}");
                return;
        }
    }

    /// <summary>An object of a few short scalars reads best on one line: "host: mx1, pattern: *.example".</summary>
    private static bool IsFlat(JsonElement element) =>
        element.EnumerateObject().All(p => p.Value.ValueKind is not (JsonValueKind.Object or JsonValueKind.Array))
        && Flat(element).Length <= 120;

    private static string Flat(JsonElement element) => string.Join(", ", element.EnumerateObject()
        .Where(p => p.Value.ValueKind is not (JsonValueKind.Null or JsonValueKind.Undefined))
        .Select(p => $"{p.Name}: {ScalarOf(p.Value)}"));

    private static string ScalarOf(JsonElement element) => element.ValueKind switch
    {
        JsonValueKind.True => "yes",
        JsonValueKind.False => "no",
        JsonValueKind.String => element.GetString() ?? "",
        _ => element.GetRawText(),
    };

    private static string Scalar(object? value) => value switch
    {
        null => "",
        bool b => b ? "yes" : "no",
        IFormattable f => f.ToString(null, CultureInfo.InvariantCulture),
        _ => value.ToString() ?? "",
    };

    private static int Count(IEnumerable<Finding> findings, Severity severity) => findings.Count(f => f.Severity == severity);

    internal static string Label(CheckStatus status) => status switch
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
