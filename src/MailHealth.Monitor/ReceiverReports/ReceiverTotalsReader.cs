using MailHealth.ReceiverReports;
using MailHealth.ReportTotals;
using MailHealth.Storage.ReceiverReports;
using MailHealth.Storage.Targets;

namespace MailHealth.Monitor.ReceiverReports;

/// <summary>
/// What receivers' reports say of a target, read for its domain: reports are stored by policy
/// domain, so a target sees every report of its domain, those that arrived before it was added
/// included, and a report for a domain no target monitors waits, listed as unmatched
/// (<see cref="UnmatchedDomainsAsync"/>), until one does. Each read is of committed reports only.
/// </summary>
public sealed class ReceiverTotalsReader(
    TargetStore targets,
    ReportLedger ledger,
    DmarcSourceStore sources,
    TlsResultStore tlsResults,
    ReportDomainIndex domains,
    ReportStorageCalls storage)
{
    /// <summary>Day partitions read at once for a range.</summary>
    private const int DayReadsAtOnce = 4;

    /// <summary>The target's aggregate reports added up per day, <paramref name="from"/> to <paramref name="to"/>; null when there is no such target.</summary>
    public async Task<IReadOnlyList<DmarcDay>?> DmarcDaysAsync(string targetId, DateOnly from, DateOnly to, CancellationToken cancellationToken)
    {
        var days = await DaysAsync(targetId, from, to, cancellationToken).ConfigureAwait(false);
        return days?.Where(d => d.Dmarc is not null).GroupBy(d => d.Day).OrderBy(g => g.Key).Select(g =>
        {
            var counts = new DmarcCounts();
            foreach (var report in g)
            {
                counts.Add(report.Dmarc!);
            }

            return new DmarcDay(g.Key, g.Count(), counts);
        }).ToList();
    }

    /// <summary>The target's TLS reports added up per day; null when there is no such target.</summary>
    public async Task<IReadOnlyList<TlsDay>?> TlsDaysAsync(string targetId, DateOnly from, DateOnly to, CancellationToken cancellationToken)
    {
        var days = await DaysAsync(targetId, from, to, cancellationToken).ConfigureAwait(false);
        return days?.Where(d => d.Tls is not null).GroupBy(d => d.Day).OrderBy(g => g.Key)
            .Select(g => new TlsDay(g.Key, g.Count(), g.Select(d => d.Tls!).Aggregate((a, b) => a.Plus(b))))
            .ToList();
    }

    /// <summary>Each source of the target's aggregate reports on <paramref name="day"/>, most messages first; null when there is no such target.</summary>
    public Task<IReadOnlyList<SourceTotals>?> DmarcSourcesAsync(string targetId, DateOnly day, CancellationToken cancellationToken) =>
        OfDayAsync(targetId, day, ReceivedReportKindNames.Dmarc, sources.ListAsync, cancellationToken);

    /// <summary>The target's TLS sessions on <paramref name="day"/> per policy type, MX host and result type; null when there is no such target.</summary>
    public Task<IReadOnlyList<TlsResultTotals>?> TlsResultsAsync(string targetId, DateOnly day, CancellationToken cancellationToken) =>
        OfDayAsync(targetId, day, ReceivedReportKindNames.TlsRpt, tlsResults.ListAsync, cancellationToken);

    /// <summary>
    /// The target's aggregate reports per day with each day's sources (at most
    /// <paramref name="sourcesPerDay"/>, most messages first): one ledger read for the range, then
    /// one partition read per day that has reports; null when there is no such target.
    /// </summary>
    public async Task<IReadOnlyList<DmarcDayView>?> DmarcRangeAsync(string targetId, DateOnly from, DateOnly to, int sourcesPerDay, CancellationToken cancellationToken)
    {
        var days = await PerDayAsync(targetId, from, to, ReceivedReportKindNames.Dmarc, sources.ListAsync, cancellationToken).ConfigureAwait(false);
        return days?.Select(d =>
        {
            var counts = new DmarcCounts();
            foreach (var report in d.Reports)
            {
                counts.Add(report.Dmarc!);
            }

            return new DmarcDayView(d.Day, d.Reports.Count, DmarcMessages.Of(counts), d.Rows.Count, [.. d.Rows.Take(sourcesPerDay).Select(DmarcDaySource.Of)]);
        }).ToList();
    }

    /// <summary>
    /// Each source of the target's aggregate reports from <paramref name="from"/> to <paramref name="to"/>,
    /// added up over the days: messages, DMARC passes, first and last day seen. Unknown senders
    /// first (no name, or no SPF term authorises them), then by messages; null when there is no such target.
    /// </summary>
    public async Task<IReadOnlyList<DmarcSourceView>?> DmarcSourcesAsync(string targetId, DateOnly from, DateOnly to, CancellationToken cancellationToken)
    {
        var days = await PerDayAsync(targetId, from, to, ReceivedReportKindNames.Dmarc, sources.ListAsync, cancellationToken).ConfigureAwait(false);
        if (days is null)
        {
            return null;
        }

        var bySource = new Dictionary<string, (DmarcCounts Counts, DateOnly First, DateOnly Last, int Days)>(StringComparer.Ordinal);
        // Days come oldest first: the first day a source is met is its first seen, each later one its last.
        foreach (var day in days)
        {
            foreach (var source in day.Rows)
            {
                var (counts, first, _, seenOn) = bySource.TryGetValue(source.SourceIp, out var before) ? before : (new DmarcCounts(), day.Day, day.Day, 0);
                counts.Add(source.Counts);
                bySource[source.SourceIp] = (counts, first, day.Day, seenOn + 1);
            }
        }

        return [.. bySource
            .Select(s => new DmarcSourceView(
                s.Key, null, null, null,
                DmarcMessages.Round(s.Value.Counts.Messages),
                DmarcMessages.Round(s.Value.Counts.DmarcPass),
                DmarcMessages.Share(s.Value.Counts.DmarcPass, s.Value.Counts.Messages),
                DmarcMessages.Round(s.Value.Counts.DkimAligned),
                DmarcMessages.Round(s.Value.Counts.SpfAligned),
                s.Value.First,
                s.Value.Last,
                s.Value.Days))
            .OrderBy(s => s.Name is not null && s.SpfTerm is not null)
            .ThenByDescending(s => s.Messages)
            .ThenBy(s => s.SourceIp, StringComparer.Ordinal)];
    }

    /// <summary>The target's TLS reports per day with each policy type, MX host and result type: as <see cref="DmarcRangeAsync"/>; null when there is no such target.</summary>
    public async Task<IReadOnlyList<TlsDayView>?> TlsRangeAsync(string targetId, DateOnly from, DateOnly to, CancellationToken cancellationToken)
    {
        var days = await PerDayAsync(targetId, from, to, ReceivedReportKindNames.TlsRpt, tlsResults.ListAsync, cancellationToken).ConfigureAwait(false);
        return days?.Select(d =>
        {
            var sessions = d.Reports.Select(r => r.Tls!).Aggregate((a, b) => a.Plus(b));
            return new TlsDayView(d.Day, d.Reports.Count, DmarcMessages.Round(sessions.Successful), DmarcMessages.Round(sessions.Failed), [.. d.Rows.Select(TlsResultView.Of)]);
        }).ToList();
    }

    /// <summary>The target's aggregate reports added up over the range, from the ledger's day rows alone (one key range); null when there is no such target.</summary>
    public async Task<DmarcSummary?> DmarcSummaryAsync(string targetId, DateOnly from, DateOnly to, CancellationToken cancellationToken)
    {
        var days = await DmarcDaysAsync(targetId, from, to, cancellationToken).ConfigureAwait(false);
        if (days is null)
        {
            return null;
        }

        var counts = new DmarcCounts();
        foreach (var day in days)
        {
            counts.Add(day.Counts);
        }

        // A report spread over several days counts once on each of them: the reports are told apart by key.
        var reports = days.Sum(d => d.Reports);
        return new DmarcSummary(from, to, reports, DmarcMessages.Round(counts.Messages), DmarcMessages.Round(counts.DmarcPass), DmarcMessages.Share(counts.DmarcPass, counts.Messages));
    }

    /// <summary>The domains reports arrived for that no target monitors now.</summary>
    public async Task<IReadOnlyList<ReportDomain>> UnmatchedDomainsAsync(CancellationToken cancellationToken)
    {
        var reported = await storage.RunAsync(domains.ListAsync, cancellationToken).ConfigureAwait(false);
        var monitored = await storage.RunAsync(
            async ct =>
            {
                var set = new HashSet<string>(StringComparer.Ordinal);
                await foreach (var target in targets.AllAsync(cancellationToken: ct).ConfigureAwait(false))
                {
                    set.Add(target.Domain);
                }

                return set;
            },
            cancellationToken).ConfigureAwait(false);
        return [.. reported.Where(d => !monitored.Contains(d.Domain))];
    }

    /// <summary>The days of the range that have committed reports of <paramref name="kind"/>, each with those reports and the rows <paramref name="read"/> adds up for it, read a few days at once.</summary>
    private async Task<IReadOnlyList<DayRows<T>>?> PerDayAsync<T>(
        string targetId, DateOnly from, DateOnly to, string kind, Func<string, DateOnly, IEnumerable<ReportDayTotals>, CancellationToken, Task<IReadOnlyList<T>>> read, CancellationToken cancellationToken)
    {
        var domain = await DomainAsync(targetId, cancellationToken).ConfigureAwait(false);
        if (domain is null)
        {
            return null;
        }

        var committed = await storage.RunAsync(ct => ledger.ListDaysAsync(domain, from, to, ct), cancellationToken).ConfigureAwait(false);
        var days = committed.Where(d => d.Kind == kind).GroupBy(d => d.Day).OrderBy(g => g.Key).ToList();
        var rows = new IReadOnlyList<T>[days.Count];
        await Parallel.ForEachAsync(
            Enumerable.Range(0, days.Count),
            new ParallelOptions { MaxDegreeOfParallelism = DayReadsAtOnce, CancellationToken = cancellationToken },
            async (i, ct) => rows[i] = await storage.RunAsync(c => read(domain, days[i].Key, days[i], c), ct).ConfigureAwait(false)).ConfigureAwait(false);
        return [.. days.Select((d, i) => new DayRows<T>(d.Key, [.. d], rows[i]))];
    }

    private async Task<IReadOnlyList<T>?> OfDayAsync<T>(
        string targetId, DateOnly day, string kind, Func<string, DateOnly, IEnumerable<ReportDayTotals>, CancellationToken, Task<IReadOnlyList<T>>> read, CancellationToken cancellationToken)
    {
        var domain = await DomainAsync(targetId, cancellationToken).ConfigureAwait(false);
        if (domain is null)
        {
            return null;
        }

        var committed = await storage.RunAsync(ct => ledger.ListDaysAsync(domain, day, day, ct), cancellationToken).ConfigureAwait(false);
        return await storage.RunAsync(ct => read(domain, day, committed.Where(d => d.Kind == kind), ct), cancellationToken).ConfigureAwait(false);
    }

    private async Task<IReadOnlyList<ReportDayTotals>?> DaysAsync(string targetId, DateOnly from, DateOnly to, CancellationToken cancellationToken)
    {
        var domain = await DomainAsync(targetId, cancellationToken).ConfigureAwait(false);
        return domain is null ? null : await storage.RunAsync(ct => ledger.ListDaysAsync(domain, from, to, ct), cancellationToken).ConfigureAwait(false);
    }

    private async Task<string?> DomainAsync(string targetId, CancellationToken cancellationToken) =>
        (await storage.RunAsync(ct => targets.GetAsync(targetId, ct), cancellationToken).ConfigureAwait(false))?.Target.Domain;

    private sealed record DayRows<T>(DateOnly Day, IReadOnlyList<ReportDayTotals> Reports, IReadOnlyList<T> Rows);
}
