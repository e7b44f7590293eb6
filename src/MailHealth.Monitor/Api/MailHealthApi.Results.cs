using MailHealth.Checks;
using MailHealth.Storage.Changes;
using MailHealth.Storage.Latest;
using MailHealth.Storage.Runs;
using Microsoft.AspNetCore.Http;

namespace MailHealth.Monitor.Api;

public sealed partial class MailHealthApi
{
    /// <summary>Longest check id accepted in <c>?check=</c> (<c>smtp:mx1.example.com:587</c> and the like).</summary>
    private const int MaxCheckIdLength = 300;

    /// <summary><c>GET /api/targets/{id}/status</c>: the latest result of every check (one partition read).</summary>
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

        var status = await latest.GetAsync(targetId, cancellationToken).ConfigureAwait(false);
        if (status is not null)
        {
            return ApiJson.Ok(TargetStatus.Of(status));
        }

        // Known but not run yet (just added): an empty status, not a 404.
        return await targets.GetAsync(targetId, cancellationToken).ConfigureAwait(false) is null
            ? UnknownTarget(targetId)
            : ApiJson.Ok(TargetStatus.NotRunYet(targetId));
    }

    /// <summary>Targets whose latest status is read at once for <c>/api/status</c>: partition reads in parallel, bounded.</summary>
    private const int StatusReadsAtOnce = 8;

    /// <summary>
    /// <c>GET /api/status?limit=&amp;continuation=</c>: the latest status of every target, a page of
    /// targets at a time in id order (the fleet at a glance in one request, not one per target).
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

        return await PageAsync(async () =>
        {
            var page = await targets.ListAsync(limit, continuation, cancellationToken: cancellationToken).ConfigureAwait(false);
            var statuses = new TargetStatus[page.Items.Count];
            await Parallel.ForEachAsync(
                Enumerable.Range(0, page.Items.Count),
                new ParallelOptions { MaxDegreeOfParallelism = StatusReadsAtOnce, CancellationToken = cancellationToken },
                async (i, ct) =>
                {
                    var id = page.Items[i].Target.Id;
                    statuses[i] = await latest.GetAsync(id, ct).ConfigureAwait(false) is { } status
                        ? TargetStatus.Of(status)
                        : TargetStatus.NotRunYet(id);
                }).ConfigureAwait(false);
            return new Storage.Paging.StoredPage<TargetStatus>(statuses, page.ContinuationToken);
        }).ConfigureAwait(false);
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

        if (await targets.GetAsync(targetId, cancellationToken).ConfigureAwait(false) is null)
        {
            return UnknownTarget(targetId);
        }

        var history = new HistoryQuery(targetId) { CheckId = check, From = from, To = to, PageSize = limit, ContinuationToken = continuation };
        return await PageAsync(() => runs.GetHistoryAsync(history, cancellationToken)).ConfigureAwait(false);
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

        if (await runs.GetLatestReportJsonAsync(targetId, cancellationToken).ConfigureAwait(false) is { } report)
        {
            return Results.Text(report.Json, "application/json; charset=utf-8");
        }

        return await targets.GetAsync(targetId, cancellationToken).ConfigureAwait(false) is null
            ? UnknownTarget(targetId)
            : ApiProblem.NotFound($"target '{targetId}' has not been run yet");
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

        if (target is not null && await targets.GetAsync(target, cancellationToken).ConfigureAwait(false) is null)
        {
            return UnknownTarget(target);
        }

        var events = new ChangeEventQuery { TargetId = target, From = from, To = to, PageSize = limit, ContinuationToken = continuation };
        return await PageAsync(() => changes.ListAsync(events, cancellationToken)).ConfigureAwait(false);
    }
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
