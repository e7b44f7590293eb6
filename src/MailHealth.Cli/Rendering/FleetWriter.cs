using System.Globalization;
using MailHealth.Checks;
using MailHealth.Reports;

namespace MailHealth.Cli.Rendering;

/// <summary>
/// Writes reports as they arrive: one JSON line each, or the readable report; after several
/// targets a summary table (target, status, worst findings), and on a terminal a progress line on
/// stderr. Keeps one short summary row per target, never the reports.
/// </summary>
public sealed class FleetWriter(TextWriter output, TextWriter error, bool json, int total, bool progress)
{
    /// <summary>Findings named per target in the summary.</summary>
    private const int WorstShown = 3;

    private readonly List<(string Target, CheckStatus Status, string Worst)> _rows = [];
    private int _done;

    public bool AnyCritical { get; private set; }

    public async Task WriteAsync(Report report)
    {
        ArgumentNullException.ThrowIfNull(report);
        AnyCritical |= report.HasCritical;
        _done++;
        if (json)
        {
            await output.WriteLineAsync(ReportJson.SerializeLine(report)).ConfigureAwait(false);
        }
        else
        {
            if (_done > 1)
            {
                await output.WriteLineAsync().ConfigureAwait(false);
            }

            ReportRenderer.Write(report, output);
            if (total > 1)
            {
                _rows.Add((Name(report), report.Status, Worst(report)));
            }
        }

        await output.FlushAsync().ConfigureAwait(false);
        if (progress && total > 1)
        {
            await error.WriteAsync(string.Create(CultureInfo.InvariantCulture, $"\rchecked {_done}/{total}")).ConfigureAwait(false);
        }
    }

    public async Task FinishAsync()
    {
        if (progress && total > 1)
        {
            await error.WriteLineAsync().ConfigureAwait(false);
        }

        if (json || _rows.Count == 0)
        {
            return;
        }

        var width = _rows.Max(r => r.Target.Length);
        await output.WriteLineAsync().ConfigureAwait(false);
        await output.WriteLineAsync(string.Create(CultureInfo.InvariantCulture, $"Summary of {_rows.Count} targets (worst first)")).ConfigureAwait(false);
        foreach (var (target, status, worst) in _rows.OrderByDescending(r => Rank(r.Status)).ThenBy(r => r.Target, StringComparer.Ordinal))
        {
            await output.WriteLineAsync($"  {ReportRenderer.Label(status),-5}  {target.PadRight(width)}  {worst}".TrimEnd()).ConfigureAwait(false);
        }
    }

    private static string Name(Report report) =>
        report.Target.DisplayDomain.Length > 0 ? report.Target.DisplayDomain : report.Target.Domain;

    private static string Worst(Report report)
    {
        var codes = report.Findings
            .Where(f => f.Severity > Severity.Info)
            .OrderByDescending(f => f.Severity)
            .ThenBy(f => f.Code, StringComparer.Ordinal)
            .Select(f => f.Code)
            .Distinct(StringComparer.Ordinal)
            .ToList();
        return codes.Count <= WorstShown
            ? string.Join(", ", codes)
            : string.Join(", ", codes.Take(WorstShown)) + string.Create(CultureInfo.InvariantCulture, $" (+{codes.Count - WorstShown})");
    }

    /// <summary>Fail is worst, then error (could not check), warn, pass.</summary>
    private static int Rank(CheckStatus status) => status switch
    {
        CheckStatus.Fail => 3,
        CheckStatus.Error => 2,
        CheckStatus.Warn => 1,
        _ => 0,
    };
}
