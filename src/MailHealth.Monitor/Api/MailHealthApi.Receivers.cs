using MailHealth.Monitor.Caching;
using MailHealth.Monitor.ReceiverReports;
using MailHealth.Storage.ReceiverReports;
using Microsoft.AspNetCore.Http;

namespace MailHealth.Monitor.Api;

/// <summary>
/// The receivers' view (docs/reports.md): what the committed DMARC aggregate and SMTP TLS reports
/// say of a target, and what arrived. Reports for a past day can arrive at any time, so every
/// answer is revalidated (<see cref="ReadFreshness.Revalidate"/>); the read cache drops a target's
/// copies when this process commits a report of its domain.
/// </summary>
public sealed partial class MailHealthApi
{
    /// <summary>Days a receivers' view covers when the query names none: a month.</summary>
    public const int ReceiverViewDays = 30;

    /// <summary>Most days one receivers' view reads: each day with reports is a partition read.</summary>
    public const int MaxReceiverViewDays = 92;

    /// <summary>Days the fleet's DMARC pass share covers, up to today: the ledger's day rows alone.</summary>
    public const int FleetDmarcDays = 7;

    /// <summary>How far back <c>/api/reports</c> looks when the query names no range, and the longest range it takes.</summary>
    private static readonly TimeSpan ReportListSpan = TimeSpan.FromDays(30);

    private static readonly TimeSpan MaxReportListSpan = TimeSpan.FromDays(366);

    /// <summary><c>GET /api/targets/{id}/dmarc?from=&amp;to=&amp;limit=</c>: the target's aggregate reports per day, with each day's sources (at most <c>limit</c>, most messages first).</summary>
    public Task<IResult> GetDmarcAsync(string id, HttpRequest request, CancellationToken cancellationToken) =>
        ReceiverViewAsync(ApiRoutes.GetDmarc, id, request, withLimit: true, async (range, limit, ct) =>
            await receivers.DmarcRangeAsync(range.TargetId, range.From, range.To, limit, ct).ConfigureAwait(false) is { } days ? new DmarcView(range.From, range.To, days) : null, cancellationToken);

    /// <summary><c>GET /api/targets/{id}/dmarc/sources?from=&amp;to=</c>: each source of the target's aggregate reports over the range, unknown senders first.</summary>
    public Task<IResult> GetDmarcSourcesAsync(string id, HttpRequest request, CancellationToken cancellationToken) =>
        ReceiverViewAsync(ApiRoutes.GetDmarcSources, id, request, withLimit: false, async (range, _, ct) =>
            await receivers.DmarcSourcesAsync(range.TargetId, range.From, range.To, ct).ConfigureAwait(false) is { } sources ? new DmarcSourcesView(range.From, range.To, sources) : null, cancellationToken);

    /// <summary><c>GET /api/targets/{id}/tls-reports?from=&amp;to=</c>: the target's TLS reports per day, policy type, result type and MX host.</summary>
    public Task<IResult> GetTlsReportsAsync(string id, HttpRequest request, CancellationToken cancellationToken) =>
        ReceiverViewAsync(ApiRoutes.GetTlsReports, id, request, withLimit: false, async (range, _, ct) =>
            await receivers.TlsRangeAsync(range.TargetId, range.From, range.To, ct).ConfigureAwait(false) is { } days ? new TlsReportsView(range.From, range.To, days) : null, cancellationToken);

    /// <summary><c>GET /api/reports?domain=&amp;from=&amp;to=&amp;status=&amp;limit=&amp;continuation=</c>: the reports of the inputs received in the range, newest first, with what became of each.</summary>
    public Task<IResult> ListReportsAsync(HttpRequest request, CancellationToken cancellationToken) =>
        AnswerAsync(ApiRoutes.ListReports, ct => ListReportsCoreAsync(request, ct), cancellationToken);

    private async Task<IResult> ListReportsCoreAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var query = ApiQuery.Of(request, "domain", "from", "to", "status", "limit", "continuation");
        var domain = query.Domain("domain");
        var (from, to) = query.BoundedTimeRange(time.GetUtcNow(), ReportListSpan, MaxReportListSpan);
        var status = query.Choice("status", "", "stored", "duplicate", "invalid") is { Length: > 0 } chosen
            ? Enum.Parse<ReportOutcomeStatus>(chosen, ignoreCase: true)
            : (ReportOutcomeStatus?)null;
        var limit = query.Limit(100);
        var continuation = query.Text("continuation");
        if (query.Problem is { } problem)
        {
            return problem;
        }

        // Without a range, "now" moves: the key holds the range as read, so a later request reads again.
        var key = ReadKey(ApiRoutes.ListReports, domain, KeyOf(from), KeyOf(to), status?.ToString(), KeyOf(limit), continuation);
        var listing = new ReportInputQuery(from, to) { PolicyDomain = domain, Status = status, PageSize = limit, ContinuationToken = continuation };
        return await ReadAsync(request, key, ReadFreshness.Revalidate, ct => PageAsync(
            async () =>
            {
                var page = await ingestion.ListAsync(listing, ct).ConfigureAwait(false);
                return new Storage.Paging.StoredPage<ListedReportAnswer>([.. page.Items.Select(ListedReportAnswer.Of)], page.ContinuationToken);
            },
            _ => ReadScope.Reports), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// <c>GET /api/dmarc?limit=&amp;continuation=</c>: the DMARC pass share of every target over the
    /// last <see cref="FleetDmarcDays"/> days, a page of targets in id order, for the fleet view.
    /// Each target's figure is one key range of the reports ledger (its day rows, never the rows by
    /// source), kept in the read cache until a report of its domain is committed.
    /// </summary>
    public Task<IResult> ListDmarcSummariesAsync(HttpRequest request, CancellationToken cancellationToken) =>
        AnswerAsync(ApiRoutes.ListDmarcSummaries, ct => ListDmarcSummariesCoreAsync(request, ct), cancellationToken);

    private async Task<IResult> ListDmarcSummariesCoreAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var query = ApiQuery.Of(request, "limit", "continuation");
        var limit = query.Limit(100);
        var continuation = query.Text("continuation");
        if (query.Problem is { } problem)
        {
            return problem;
        }

        var (page, refused) = await TargetIdPageAsync(limit, continuation, cancellationToken).ConfigureAwait(false);
        if (refused is not null)
        {
            return refused;
        }

        var to = Today;
        var from = to.AddDays(1 - FleetDmarcDays);
        var bodies = new CachedBody[page!.Ids.Count];
        await Parallel.ForEachAsync(
            Enumerable.Range(0, page.Ids.Count),
            new ParallelOptions { MaxDegreeOfParallelism = StatusReadsAtOnce, CancellationToken = cancellationToken },
            async (i, ct) =>
            {
                var targetId = page.Ids[i];
                var key = ReadKey(ApiRoutes.ListDmarcSummaries, targetId, KeyOf(from), KeyOf(to));
                bodies[i] = reads.Get<CachedBody>(key) ?? await reads.ReadOnceAsync(key, ReadScope.Target(targetId), async (readAt, c) =>
                {
                    // A target removed since the page was read shows no reports.
                    var summary = await receivers.DmarcSummaryAsync(targetId, from, to, c).ConfigureAwait(false) ?? new DmarcSummary(from, to, 0, 0, 0, null);
                    var body = CachedBody.Of(new TargetDmarcSummary(targetId, summary));
                    reads.Set(key, body, body.Content.Length, ReadScope.Target(targetId), readAt);
                    return body;
                }, ct).ConfigureAwait(false) ?? CachedBody.Of(new TargetDmarcSummary(targetId, new DmarcSummary(from, to, 0, 0, 0, null)));
            }).ConfigureAwait(false);
        var etag = EntityTags.OfParts(bodies.Select(s => s.ETag), "dmarc page v1 " + page.Continuation);
        return ReadAnswer.Of(request, etag, () => ApiJson.Page(bodies.Select(s => s.Content).ToList(), page.Continuation), ReadFreshness.Revalidate);
    }

    /// <summary>Today, in UTC: the days of the receivers' reports are UTC days.</summary>
    private DateOnly Today => DateOnly.FromDateTime(time.GetUtcNow().UtcDateTime);

    private static string KeyOf(DateOnly day) => KeyOf(day.DayNumber);

    /// <summary>
    /// A target's receivers' view over a range of days (and, <paramref name="withLimit"/>, a
    /// <c>limit</c>): a 400 for the query's problems, a 404 for an unknown target (<paramref name="read"/>
    /// answers null), else the view from the read cache or storage, kept until a report of the target's domain is committed.
    /// </summary>
    private Task<IResult> ReceiverViewAsync<T>(
        string route, string id, HttpRequest request, bool withLimit, Func<DayRange, int, CancellationToken, Task<T?>> read, CancellationToken cancellationToken)
        where T : class =>
        AnswerAsync(route, async ct =>
        {
            var query = withLimit ? ApiQuery.Of(request, "from", "to", "limit") : ApiQuery.Of(request, "from", "to");
            var targetId = query.TargetId(id);
            var (from, to) = query.DayRange(Today, ReceiverViewDays, MaxReceiverViewDays);
            var limit = withLimit ? query.Limit(100) : 0;
            if (query.Problem is { } problem)
            {
                return problem;
            }

            var range = new DayRange(targetId, from, to);
            return await ReadAsync(request, ReadKey(route, targetId, KeyOf(from), KeyOf(to), KeyOf(limit)), ReadFreshness.Revalidate, async c =>
                await read(range, limit, c).ConfigureAwait(false) is { } view
                    ? ReadOutcome.Found(view, ReadScope.Target(targetId))
                    : ReadOutcome.Answer(UnknownTarget(targetId)), ct).ConfigureAwait(false);
        }, cancellationToken);

    /// <summary>The target and days a receivers' view reads.</summary>
    private sealed record DayRange(string TargetId, DateOnly From, DateOnly To);
}

/// <summary>What <c>/dmarc</c> answers: the range read and its days that have reports.</summary>
public sealed record DmarcView(DateOnly From, DateOnly To, IReadOnlyList<DmarcDayView> Days);

/// <summary>What <c>/tls-reports</c> answers: the range read and its days that have reports.</summary>
public sealed record TlsReportsView(DateOnly From, DateOnly To, IReadOnlyList<TlsDayView> Days);

/// <summary>One target's line of <c>/api/dmarc</c>.</summary>
public sealed record TargetDmarcSummary(string TargetId, DmarcSummary Dmarc);

/// <summary>One report of <c>/api/reports</c>: the input it came in, when, where to read the whole input, and what became of the report.</summary>
public sealed record ListedReportAnswer(string Input, DateTimeOffset ReceivedAt, string StatusUrl, ReportOutcome Report)
{
    public static ListedReportAnswer Of(ListedReport listed)
    {
        ArgumentNullException.ThrowIfNull(listed);
        return new(listed.Input, listed.ReceivedAt, "/api/reports/" + listed.Input, listed.Report);
    }
}
