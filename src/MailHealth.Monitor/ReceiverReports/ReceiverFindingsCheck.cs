using System.Collections.Concurrent;
using MailHealth.Checks;
using MailHealth.ReceiverFindings;
using MailHealth.ReceiverReports;
using MailHealth.Reports;
using MailHealth.ReportTotals;
using MailHealth.Storage.ReceiverReports;
using MailHealth.Targets;
using Microsoft.Extensions.Options;

namespace MailHealth.Monitor.ReceiverReports;

/// <summary>
/// Adds what receivers' reports say of a target to its run, as the check <c>receivers</c>
/// (docs/findings.md, "Receivers' reports"): its findings open, resolve and notify like every
/// other. One read of the domain's ledger each run; the days' sources and TLS results are read
/// again only when the committed reports changed since the last run in this process. A domain
/// with no reports whose rua names no mailbox this monitor reads gets no check. A read that fails
/// makes the check an error, which leaves its alerts as they are.
/// </summary>
public sealed class ReceiverFindingsCheck(
    ReceiverTotalsReader reader,
    DmarcSenderNaming naming,
    IOptions<ReceiverFindingSettings> settings,
    TimeProvider time)
{
    public const string Id = "receivers";

    /// <summary>Domains whose reads are remembered at once; past it, the memory starts afresh.</summary>
    private const int MaxRemembered = 20_000;

    private readonly ConcurrentDictionary<string, Remembered> _remembered = new(StringComparer.Ordinal);

    // A domain whose rua names a monitored mailbox but never had a report: since when, for which rua, as recorded in storage, and the day this process last told storage it still waits.
    private readonly ConcurrentDictionary<string, (string Rua, DateOnly Since, DateOnly Asked)> _awaited = new(StringComparer.Ordinal);

    /// <summary><paramref name="report"/> with the <c>receivers</c> check added when there is something to say; the report itself otherwise.</summary>
    public async Task<Report> AddToAsync(Target target, Report report, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(target);
        ArgumentNullException.ThrowIfNull(report);
        var options = settings.Value;
        var check = new CheckResultBuilder(Id, Id, target.Domain, time);
        var (policy, rua) = DmarcOf(report);
        var monitored = ReceiverFindingEvaluator.MonitoredMailboxes(rua, options).Count > 0;
        var today = DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);
        ReceiverView view;
        try
        {
            var days = await reader.ReportDaysAsync(target.Domain, today.AddDays(-options.DaysRead()), today, cancellationToken).ConfigureAwait(false);
            if (days.Count == 0 && !monitored)
            {
                return report;
            }

            var read = await ReadAsync(target.Domain, days, today, options, cancellationToken).ConfigureAwait(false);
            var lastDmarc = days.Where(d => d.Kind == ReceivedReportKindNames.Dmarc).Select(d => (DateOnly?)d.Day).Max();
            view = new ReceiverView
            {
                Domain = target.Domain,
                Today = today,
                Sources = read.Sources,
                SourceReportDays = read.SourceReportDays,
                Days = [.. days.Where(d => d.Dmarc is not null).GroupBy(d => d.Day).Select(g => new ReceiverDay(g.Key, g.Sum(d => d.Dmarc!.Messages), g.Sum(d => d.Dmarc!.DmarcPass)))],
                LastReportDay = lastDmarc,
                WatchedSince = lastDmarc is null && monitored ? await AwaitedSinceAsync(target.Domain, rua, today, cancellationToken).ConfigureAwait(false) : null,
                Policy = policy,
                Rua = rua,
                TlsFailures = read.TlsFailures,
                ProbeFindings = ProbeFindingsOf(report),
            };
        }
        catch (Exception e) when (!cancellationToken.IsCancellationRequested)
        {
            check.MarkError($"receivers' reports could not be read: {e.Message}");
            return With(report, check.Build());
        }

        foreach (var finding in ReceiverFindingEvaluator.Evaluate(view, options))
        {
            check.Add(finding);
        }

        check.Evidence("reportDays", view.Days.Count)
            .Evidence("lastReportDay", view.LastReportDay?.ToString("yyyy-MM-dd", System.Globalization.CultureInfo.InvariantCulture))
            .Evidence("sources", view.Sources.Count)
            .Evidence("policy", policy);
        return With(report, check.Build());
    }

    /// <summary>The window's sources (named when due) and TLS failures: read again only when the committed reports of the window changed.</summary>
    private async Task<Remembered> ReadAsync(string domain, IReadOnlyList<ReportDayTotals> days, DateOnly today, ReceiverFindingSettings options, CancellationToken cancellationToken)
    {
        var window = days.Where(d => d.Day >= today.AddDays(-options.WindowDays) && d.Day < today).ToList();
        var signature = string.Join(',', window.Select(d => $"{d.Day.DayNumber}:{d.ReportKey}").Order(StringComparer.Ordinal));
        if (_remembered.TryGetValue(domain, out var remembered) && remembered.Signature == signature && !remembered.Unnamed)
        {
            return remembered;
        }

        var senders = await reader.DmarcSendersAsync(domain, window, cancellationToken).ConfigureAwait(false);
        if (await naming.NameDueAsync(domain, senders, cancellationToken).ConfigureAwait(false) > 0)
        {
            senders = await reader.DmarcSendersAsync(domain, window, cancellationToken).ConfigureAwait(false);
        }

        var tls = await reader.TlsResultsAsync(domain, window, cancellationToken).ConfigureAwait(false);
        remembered = new Remembered(
            signature,
            [.. senders.Select(s => new ReceiverSource(s.Ip, s.Counts, s.PtrName, s.Confirmed, s.BaseDomain, s.AuthorisedBy))],
            window.Where(d => d.Kind == ReceivedReportKindNames.Dmarc).Select(d => d.Day).Distinct().Count(),
            [.. tls.Where(t => !t.Key.IsSummary && t.Sessions.Failed > 0).Select(t => new ReportedTlsFailure(t.Key.MxHost, t.Key.ResultType, t.Sessions.Failed))],
            senders.Any(s => s.NamedAt is null));
        if (_remembered.Count >= MaxRemembered)
        {
            _remembered.Clear();
        }

        _remembered[domain] = remembered;
        return remembered;
    }

    /// <summary>Since when the domain's rua has named a monitored mailbox with no report arriving: from storage once a day per process and rua (each ask records the day as watched), remembered between.</summary>
    private async Task<DateOnly> AwaitedSinceAsync(string domain, IReadOnlyList<string> rua, DateOnly today, CancellationToken cancellationToken)
    {
        var text = string.Join(',', rua);
        if (_awaited.TryGetValue(domain, out var known) && known.Rua == text && known.Asked == today)
        {
            return known.Since;
        }

        if (_awaited.Count >= MaxRemembered)
        {
            _awaited.Clear();
        }

        var since = await reader.AwaitedSinceAsync(domain, text, today, cancellationToken).ConfigureAwait(false);
        _awaited[domain] = (text, since, today);
        return since;
    }

    /// <summary>p= and rua= of the domain's DMARC record as this run's <c>dmarc</c> check read them.</summary>
    private static (string? Policy, IReadOnlyList<string> Rua) DmarcOf(Report report)
    {
        var dmarc = report.Checks.FirstOrDefault(c => c.Kind == "dmarc");
        if (dmarc?.Evidence.GetValueOrDefault("tags") is not IReadOnlyDictionary<string, object?> tags)
        {
            return (null, []);
        }

        return (tags.GetValueOrDefault("p") as string, tags.GetValueOrDefault("rua") is IEnumerable<string> rua ? [.. rua] : []);
    }

    /// <summary>The codes this run's SMTP probe raised, per host (a check's subject is HOST:PORT).</summary>
    private static Dictionary<string, IReadOnlyList<string>> ProbeFindingsOf(Report report) =>
        report.Checks
            .Where(c => c.Kind == "smtp" && c.Subject.LastIndexOf(':') > 0)
            .GroupBy(c => c.Subject[..c.Subject.LastIndexOf(':')].TrimEnd('.').ToLowerInvariant())
            .ToDictionary(g => g.Key, g => (IReadOnlyList<string>)[.. g.SelectMany(c => c.Findings).Select(f => $"{f.Code} ({g.First().Subject})").Distinct()], StringComparer.Ordinal);

    private static Report With(Report report, CheckResult check)
    {
        IReadOnlyList<CheckResult> checks = [.. report.Checks, check];
        return report with { Checks = checks, Status = Report.Overall(checks) };
    }

    private sealed record Remembered(
        string Signature,
        IReadOnlyList<ReceiverSource> Sources,
        int SourceReportDays,
        IReadOnlyList<ReportedTlsFailure> TlsFailures,
        bool Unnamed);
}
