using MailHealth.Checks;
using MailHealth.Monitor.Caching;
using MailHealth.Storage.Changes;
using MailHealth.Storage.Latest;
using MailHealth.Storage.Paging;
using MailHealth.Storage.Runs;
using Microsoft.AspNetCore.Http;

namespace MailHealth.Monitor.Api;

public sealed partial class MailHealthApi
{
    /// <summary>Longest check id accepted in <c>?check=</c> (<c>smtp:mx1.example.com:587</c> and the like).</summary>
    private const int MaxCheckIdLength = 300;

    /// <summary>Targets whose latest status is read at once for <c>/api/status</c>: partition reads in parallel, bounded.</summary>
    private const int StatusReadsAtOnce = 8;

    /// <summary><c>GET /api/targets/{id}/status</c>: the latest result of every check (one partition read, or none while the read cache holds it).</summary>
    public Task<IResult> GetStatusAsync(string id, HttpRequest request, CancellationToken cancellationToken) =>
        AnswerAsync(ApiRoutes.GetStatus, ct => GetStatusCoreAsync(id, request, ct), cancellationToken);

    private async Task<IResult> GetStatusCoreAsync(string id, HttpRequest request, CancellationToken cancellationToken)
    {
        var query = ApiQuery.Of(request);
        var targetId = query.TargetId(id);
        if (query.Problem is { } problem)
        {
            return problem;
        }

        return await StatusBodyAsync(targetId, listed: false, cancellationToken).ConfigureAwait(false) is { } body
            ? ReadAnswer.Of(request, body, ReadFreshness.Revalidate)
            : UnknownTarget(targetId);
    }

    /// <summary>
    /// The body of a target's <c>/status</c>, from the read cache or storage (then kept): its latest
    /// status, or, for a target known but not run yet (just added), an empty one; null for an
    /// unknown target. <paramref name="listed"/>: the target was just seen in the list of targets.
    /// </summary>
    private async Task<CachedBody?> StatusBodyAsync(string targetId, bool listed, CancellationToken cancellationToken)
    {
        var key = ReadKey(ApiRoutes.GetStatus, targetId);
        if (reads.Get<CachedBody>(key) is { } kept)
        {
            return kept;
        }

        return await reads.ReadOnceAsync(key, ReadScope.Target(targetId), (readAt, ct) => ReadStatusAsync(key, targetId, listed, readAt, ct), cancellationToken).ConfigureAwait(false);
    }

    private async Task<CachedBody?> ReadStatusAsync(string key, string targetId, bool listed, long readAt, CancellationToken cancellationToken)
    {
        TargetStatus status;
        if (await latest.GetAsync(targetId, cancellationToken).ConfigureAwait(false) is { } stored)
        {
            status = TargetStatus.Of(stored);
        }
        else if (listed || await targets.GetAsync(targetId, cancellationToken).ConfigureAwait(false) is not null)
        {
            status = TargetStatus.NotRunYet(targetId);
        }
        else
        {
            return null;
        }

        var body = CachedBody.Of(status);
        reads.Set(key, body, body.Content.Length, ReadScope.Target(targetId), readAt);
        return body;
    }

    /// <summary>
    /// <c>GET /api/status?limit=&amp;continuation=</c>: the latest status of every target, a page of
    /// targets at a time in id order (the fleet at a glance in one request, not one per target).
    /// The page is put together from each target's <c>/status</c> body, so a run read again after
    /// it was stored costs one partition read, not the page's; its ETag comes from theirs, so a
    /// revalidation that finds them all in the read cache answers 304 without building the page.
    /// </summary>
    public Task<IResult> ListStatusAsync(HttpRequest request, CancellationToken cancellationToken) =>
        AnswerAsync(ApiRoutes.ListStatus, ct => ListStatusCoreAsync(request, ct), cancellationToken);

    private async Task<IResult> ListStatusCoreAsync(HttpRequest request, CancellationToken cancellationToken)
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

        var statuses = new CachedBody[page!.Ids.Count];
        await Parallel.ForEachAsync(
            Enumerable.Range(0, page.Ids.Count),
            new ParallelOptions { MaxDegreeOfParallelism = StatusReadsAtOnce, CancellationToken = cancellationToken },
            // (A read this one joined may have found the target just removed: listed, it has not run.)
            async (i, ct) => statuses[i] = await StatusBodyAsync(page.Ids[i], listed: true, ct).ConfigureAwait(false) ?? CachedBody.Of(TargetStatus.NotRunYet(page.Ids[i]))).ConfigureAwait(false);
        var etag = EntityTags.OfParts(statuses.Select(s => s.ETag), "status page v1 " + page.Continuation);
        return ReadAnswer.Of(request, etag, () => ApiJson.Page(statuses.Select(s => s.Content).ToList(), page.Continuation), ReadFreshness.Revalidate);
    }

    /// <summary>A page of target ids in id order, from the read cache or storage (then kept); a continuation this query did not hand out is the 400 to answer.</summary>
    private async Task<(TargetIdPage? Page, IResult? Problem)> TargetIdPageAsync(int limit, string? continuation, CancellationToken cancellationToken)
    {
        var key = ReadKey(nameof(TargetIdPage), KeyOf(limit), continuation);
        if (reads.Get<TargetIdPage>(key) is { } kept)
        {
            return (kept, null);
        }

        var readAt = reads.Mark();
        TargetIdPage page;
        try
        {
            var stored = await targets.ListAsync(limit, continuation, cancellationToken: cancellationToken).ConfigureAwait(false);
            page = new TargetIdPage([.. stored.Items.Select(t => t.Target.Id)], stored.ContinuationToken);
        }
        catch (InvalidContinuationTokenException e)
        {
            return (null, ApiProblem.BadRequest("continuation", e.Message));
        }

        reads.Set(key, page, page.Bytes, ReadScope.TargetIds, readAt);
        return (page, null);
    }

    /// <summary><c>GET /api/targets/{id}/history?check=&amp;from=&amp;to=&amp;limit=&amp;continuation=</c>: runs newest first.</summary>
    public Task<IResult> GetHistoryAsync(string id, HttpRequest request, CancellationToken cancellationToken) =>
        AnswerAsync(ApiRoutes.GetHistory, ct => GetHistoryCoreAsync(id, request, ct), cancellationToken);

    private async Task<IResult> GetHistoryCoreAsync(string id, HttpRequest request, CancellationToken cancellationToken)
    {
        var query = ApiQuery.Of(request, "check", "from", "to", "limit", "continuation");
        var targetId = query.TargetId(id);
        var check = query.Text("check");
        if (check is { Length: > MaxCheckIdLength })
        {
            query.Error("check", $"is longer than {MaxCheckIdLength} characters");
        }

        var (from, to) = query.TimeRange();
        var limit = query.Limit(50);
        var continuation = query.Text("continuation");
        if (query.Problem is { } problem)
        {
            return problem;
        }

        var key = ReadKey(ApiRoutes.GetHistory, targetId, check, KeyOf(from), KeyOf(to), KeyOf(limit), continuation);
        return await ReadAsync(request, key, ReadFreshness.OfRange(to, time.GetUtcNow(), monitor.Value.Interval), async ct =>
        {
            if (await targets.GetAsync(targetId, ct).ConfigureAwait(false) is null)
            {
                return ReadOutcome.Answer(UnknownTarget(targetId));
            }

            var history = new HistoryQuery(targetId) { CheckId = check, From = from, To = to, PageSize = limit, ContinuationToken = continuation };
            return await PageAsync(() => runs.GetHistoryAsync(history, ct), _ => ReadScope.Target(targetId)).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary><c>GET /api/targets/{id}/report</c>: the latest full report, exactly as <c>mailhealth check --json</c> prints one.</summary>
    public Task<IResult> GetReportAsync(string id, HttpRequest request, CancellationToken cancellationToken) =>
        AnswerAsync(ApiRoutes.GetReport, ct => GetReportCoreAsync(id, request, ct), cancellationToken);

    private async Task<IResult> GetReportCoreAsync(string id, HttpRequest request, CancellationToken cancellationToken)
    {
        var query = ApiQuery.Of(request);
        var targetId = query.TargetId(id);
        if (query.Problem is { } problem)
        {
            return problem;
        }

        return await ReadAsync(request, ReadKey(ApiRoutes.GetReport, targetId), ReadFreshness.Revalidate, async ct =>
        {
            if (await runs.GetLatestReportJsonAsync(targetId, ct).ConfigureAwait(false) is { } report)
            {
                return ReadOutcome.Found(CachedBody.OfText(report.Json), ReadScope.Target(targetId));
            }

            return ReadOutcome.Answer(await targets.GetAsync(targetId, ct).ConfigureAwait(false) is null
                ? UnknownTarget(targetId)
                : ApiProblem.NotFound($"target '{targetId}' has not been run yet"));
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary><c>GET /api/events?target=&amp;from=&amp;to=&amp;limit=&amp;continuation=</c>: change events newest first, of one target or all.</summary>
    public Task<IResult> ListEventsAsync(HttpRequest request, CancellationToken cancellationToken) =>
        AnswerAsync(ApiRoutes.ListEvents, ct => ListEventsCoreAsync(request, ct), cancellationToken);

    private async Task<IResult> ListEventsCoreAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var query = ApiQuery.Of(request, "target", "from", "to", "limit", "continuation");
        var target = query.Text("target") is { } given ? query.TargetId(given, "target") : null;
        var (from, to) = query.TimeRange();
        var limit = query.Limit(100);
        var continuation = query.Text("continuation");
        if (query.Problem is { } problem)
        {
            return problem;
        }

        var key = ReadKey(ApiRoutes.ListEvents, target, KeyOf(from), KeyOf(to), KeyOf(limit), continuation);
        return await ReadAsync(request, key, ReadFreshness.OfRange(to, time.GetUtcNow(), monitor.Value.Interval), async ct =>
        {
            if (target is not null && await targets.GetAsync(target, ct).ConfigureAwait(false) is null)
            {
                return ReadOutcome.Answer(UnknownTarget(target));
            }

            var events = new ChangeEventQuery { TargetId = target, From = from, To = to, PageSize = limit, ContinuationToken = continuation };
            return await PageAsync(() => changes.ListAsync(events, ct), _ => target is null ? ReadScope.Fleet : ReadScope.Target(target)).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);
    }
}

/// <summary>The ids of a page of targets and the page's continuation: what <c>/api/status</c> keeps of the list of targets.</summary>
internal sealed record TargetIdPage(IReadOnlyList<string> Ids, string? Continuation)
{
    public long Bytes => Ids.Sum(id => 32L + (2L * id.Length)) + (2L * (Continuation?.Length ?? 0));
}

/// <summary>What <c>/status</c> answers: the newest run and the latest result of every check; all but the id absent before the first run.</summary>
public sealed record TargetStatus(
    string TargetId,
    string? RunId,
    DateTimeOffset? Slot,
    DateTimeOffset? FinishedAt,
    CheckStatus? Status,
    IReadOnlyList<CheckStatusEntry> Checks)
{
    /// <summary>A target known but not run yet (just added): its id and no checks.</summary>
    public static TargetStatus NotRunYet(string targetId) => new(targetId, null, null, null, null, []);

    public static TargetStatus Of(LatestStatus status)
    {
        ArgumentNullException.ThrowIfNull(status);
        return new(
            status.TargetId,
            status.RunId,
            status.Slot,
            status.FinishedAt,
            status.Status,
            [.. status.Checks.Select(CheckStatusEntry.Of)]);
    }
}

/// <summary>One check's latest result (without evidence: that is in <c>/report</c>) and the run it came from.</summary>
public sealed record CheckStatusEntry(
    string Id,
    string Kind,
    string Subject,
    CheckStatus Status,
    long DurationMs,
    IReadOnlyDictionary<string, double> Metrics,
    IReadOnlyList<FindingSummary> Findings,
    string? Error,
    string RunId,
    DateTimeOffset FinishedAt)
{
    public static CheckStatusEntry Of(LatestCheck latest)
    {
        ArgumentNullException.ThrowIfNull(latest);
        var c = latest.Check;
        return new(c.Id, c.Kind, c.Subject, c.Status, c.DurationMs, c.Metrics, c.Findings, c.Error, latest.RunId, latest.FinishedAt);
    }
}
