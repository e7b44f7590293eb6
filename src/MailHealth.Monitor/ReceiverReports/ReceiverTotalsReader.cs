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
    DmarcSenderStore senders,
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

    /// <summary>
    /// Each source of the target's aggregate reports from <paramref name="from"/> to <paramref name="to"/>
    /// with its name (<see cref="DmarcSender"/>), most messages first; null when there is no such target.
    /// Reads the ledger's days, each day's sources and the domain's names: a partition per day with reports, and one.
    /// </summary>
    public async Task<IReadOnlyList<DmarcSender>?> DmarcSendersAsync(string targetId, DateOnly from, DateOnly to, CancellationToken cancellationToken)
    {
        var domain = await DomainAsync(targetId, cancellationToken).ConfigureAwait(false);
        return domain is null ? null : await DmarcSendersAsync(domain, await ReportDaysAsync(domain, from, to, cancellationToken).ConfigureAwait(false), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>Since when <paramref name="domain"/>'s rua (<paramref name="rua"/>) has named a mailbox this monitor reads, as recorded (<see cref="ReportDomainIndex.AwaitedSinceAsync"/>).</summary>
    public Task<DateOnly> AwaitedSinceAsync(string domain, string rua, DateOnly today, CancellationToken cancellationToken) =>
        storage.RunAsync(ct => domains.AwaitedSinceAsync(domain, rua, today, ct), cancellationToken);

    /// <summary>The committed reports' totals on each day of <paramref name="domain"/> from <paramref name="from"/> to <paramref name="to"/>: one read of the ledger.</summary>
    public Task<IReadOnlyList<ReportDayTotals>> ReportDaysAsync(string domain, DateOnly from, DateOnly to, CancellationToken cancellationToken) =>
        storage.RunAsync(ct => ledger.ListDaysAsync(domain, from, to, ct), cancellationToken);

    /// <summary>Each source of the aggregate reports among <paramref name="days"/> (the ledger's days of <paramref name="domain"/>) with its name, most messages first.</summary>
    public async Task<IReadOnlyList<DmarcSender>> DmarcSendersAsync(string domain, IReadOnlyList<ReportDayTotals> days, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(days);
        var dmarc = days.Where(d => d.Kind == ReceivedReportKindNames.Dmarc).ToList();
        if (dmarc.Count == 0)
        {
            return [];
        }

        var bySource = new Dictionary<string, (DmarcCounts Counts, DateOnly First, DateOnly Last)>(StringComparer.Ordinal);
        foreach (var day in dmarc.GroupBy(d => d.Day).OrderBy(g => g.Key))
        {
            var ofDay = await storage.RunAsync(ct => sources.ListAsync(domain, day.Key, day, ct), cancellationToken).ConfigureAwait(false);
            foreach (var source in ofDay)
            {
                var (counts, first, _) = bySource.TryGetValue(source.SourceIp, out var earlier) ? earlier : (new DmarcCounts(), day.Key, day.Key);
                counts.Add(source.Counts);
                bySource[source.SourceIp] = (counts, first, day.Key);
            }
        }

        var names = (await storage.RunAsync(ct => senders.ListAsync(domain, ct), cancellationToken).ConfigureAwait(false))
            .ToDictionary(s => s.Ip, StringComparer.Ordinal);
        return [.. bySource
            .Select(s => Sender(s.Key, s.Value.Counts, s.Value.First, s.Value.Last, names.GetValueOrDefault(s.Key)))
            .OrderByDescending(s => s.Messages)
            .ThenBy(s => s.Ip, StringComparer.Ordinal)];
    }

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
    /// Each source of the target's aggregate reports from <paramref name="from"/> to <paramref name="to"/>
    /// with its name when ingestion recorded one (<see cref="DmarcSendersAsync(string, DateOnly, DateOnly, CancellationToken)"/>):
    /// unknown senders first (no confirmed name, or no term of the SPF record authorises them), then
    /// by messages; null when there is no such target.
    /// </summary>
    public async Task<IReadOnlyList<DmarcSourceView>?> DmarcSourcesAsync(string targetId, DateOnly from, DateOnly to, CancellationToken cancellationToken)
    {
        var named = await DmarcSendersAsync(targetId, from, to, cancellationToken).ConfigureAwait(false);
        return named is null ? null : [.. named
            .Select(DmarcSourceView.Of)
            .OrderBy(s => !s.Unknown)
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

    /// <summary>The TLS sessions of the TLS reports among <paramref name="days"/> (the ledger's days of <paramref name="domain"/>) per policy type, MX host and result type, added up over the days: a partition per day with reports.</summary>
    public async Task<IReadOnlyList<TlsResultTotals>> TlsResultsAsync(string domain, IReadOnlyList<ReportDayTotals> days, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(days);
        var results = new List<TlsResultTotals>();
        foreach (var day in days.Where(d => d.Kind == ReceivedReportKindNames.TlsRpt).GroupBy(d => d.Day).OrderBy(g => g.Key))
        {
            results.AddRange(await storage.RunAsync(ct => tlsResults.ListAsync(domain, day.Key, day, ct), cancellationToken).ConfigureAwait(false));
        }

        return results;
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
    private static DmarcSender Sender(string ip, DmarcCounts counts, DateOnly first, DateOnly last, StoredSender? name) => new()
    {
        Ip = ip,
        Counts = counts,
        FirstSeen = name is not null && name.FirstSeen < first ? name.FirstSeen : first,
        LastSeen = name is not null && name.LastSeen > last ? name.LastSeen : last,
        PtrName = name?.PtrName,
        Confirmed = name?.Confirmed ?? false,
        BaseDomain = name?.BaseDomain,
        Problem = name?.NamedAt is null ? null : name.Problem,
        SpfResult = name?.SpfResult,
        SpfTerm = name?.SpfTerm,
        SpfMechanism = name?.SpfMechanism,
        NamedAt = name?.NamedAt,
    };

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
