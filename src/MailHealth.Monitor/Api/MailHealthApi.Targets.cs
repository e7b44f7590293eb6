using MailHealth.Monitor.Caching;
using MailHealth.Runs;
using MailHealth.Storage.Queues;
using MailHealth.Targets;
using Microsoft.AspNetCore.Http;

namespace MailHealth.Monitor.Api;

public sealed partial class MailHealthApi
{
    /// <summary><c>GET /api/targets?limit=&amp;continuation=</c>: targets in id order, as their definitions.</summary>
    public Task<IResult> ListTargetsAsync(HttpRequest request, CancellationToken cancellationToken) =>
        AnswerAsync(ApiRoutes.ListTargets, ct => ListTargetsCoreAsync(request, ct), cancellationToken);

    private Task<IResult> ListTargetsCoreAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var query = ApiQuery.Of(request, "limit", "continuation");
        var limit = query.Limit(100);
        var continuation = query.Text("continuation");
        if (query.Problem is { } problem)
        {
            return Task.FromResult(problem);
        }

        return ReadAsync(request, ReadKey(ApiRoutes.ListTargets, KeyOf(limit), continuation), ReadFreshness.Revalidate, ct => PageAsync(
            async () =>
            {
                var page = await targets.ListAsync(limit, continuation, cancellationToken: ct).ConfigureAwait(false);
                return new Storage.Paging.StoredPage<TargetDefinition>([.. page.Items.Select(t => TargetDefinition.From(t.Target))], page.ContinuationToken);
            },
            page => ReadScope.Page([.. page.Items.Select(t => t.Id!)])), cancellationToken);
    }

    /// <summary><c>GET /api/targets/{id}</c>: the target's definition, as <c>PUT</c> takes it.</summary>
    public Task<IResult> GetTargetAsync(string id, HttpRequest request, CancellationToken cancellationToken) =>
        AnswerAsync(ApiRoutes.GetTarget, ct => GetTargetCoreAsync(id, request, ct), cancellationToken);

    private async Task<IResult> GetTargetCoreAsync(string id, HttpRequest request, CancellationToken cancellationToken)
    {
        var query = ApiQuery.Of(request);
        var targetId = query.TargetId(id);
        if (query.Problem is { } problem)
        {
            return problem;
        }

        return await ReadAsync(request, ReadKey(ApiRoutes.GetTarget, targetId), ReadFreshness.Revalidate, async ct =>
            await targets.GetAsync(targetId, ct).ConfigureAwait(false) is { } stored
                ? ReadOutcome.Found(TargetDefinition.From(stored.Target), ReadScope.Target(targetId))
                : ReadOutcome.Answer(UnknownTarget(targetId)), cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// <c>PUT /api/targets/{id}</c>: creates (201) or replaces (200) the target. The body is a
    /// target definition, validated by the same rules as the targets file; its id, if given, must
    /// be the route's.
    /// </summary>
    public Task<IResult> PutTargetAsync(string id, HttpRequest request, CancellationToken cancellationToken) =>
        AnswerAsync(ApiRoutes.PutTarget, ct => PutTargetCoreAsync(id, request, ct), cancellationToken);

    private async Task<IResult> PutTargetCoreAsync(string id, HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var query = ApiQuery.Of(request);
        var targetId = query.TargetId(id);
        if (query.Problem is { } problem)
        {
            return problem;
        }

        var (definition, bodyProblem) = await ReadBodyAsync<TargetDefinition>(request, TargetList.JsonOptions, optional: false, cancellationToken).ConfigureAwait(false);
        if (bodyProblem is not null)
        {
            return bodyProblem;
        }

        if (definition!.Id is { } bodyId && bodyId != targetId)
        {
            return ApiProblem.BadRequest("body.id", $"'{ApiQuery.Shorten(bodyId)}' is not the id in the path ('{targetId}'); leave it out or make them equal");
        }

        definition.Id = targetId;
        var validation = TargetValidator.Validate(definition);
        if (!validation.IsValid)
        {
            return ApiProblem.BadRequest(validation.Errors.Select(e => new KeyValuePair<string, string>("body." + e.Path, e.Message)));
        }

        try
        {
            var existed = await targets.GetAsync(targetId, cancellationToken).ConfigureAwait(false) is not null;
            var stored = await targets.UpsertAsync(validation.Target, cancellationToken).ConfigureAwait(false);
            return ApiJson.Ok(TargetDefinition.From(stored.Target), existed ? StatusCodes.Status200OK : StatusCodes.Status201Created);
        }
        finally
        {
            // Added, or changed: either way this process's copies of the lists and of the target go.
            writes.AddedOrRemoved(targetId);
        }
    }

    /// <summary><c>DELETE /api/targets/{id}</c>: removes the target with its latest status, history and alerts (204).</summary>
    public Task<IResult> DeleteTargetAsync(string id, HttpRequest request, CancellationToken cancellationToken) =>
        AnswerAsync(ApiRoutes.DeleteTarget, ct => DeleteTargetCoreAsync(id, request, ct), cancellationToken);

    private async Task<IResult> DeleteTargetCoreAsync(string id, HttpRequest request, CancellationToken cancellationToken)
    {
        var query = ApiQuery.Of(request);
        var targetId = query.TargetId(id);
        if (query.Problem is { } problem)
        {
            return problem;
        }

        return await removal.RemoveAsync(targetId, cancellationToken).ConfigureAwait(false)
            ? Results.NoContent()
            : UnknownTarget(targetId);
    }

    /// <summary>
    /// <c>POST /api/targets/{id}/probe</c>: queues a run now (202). Its slot is the current second,
    /// not the schedule's slot, so it adds a run instead of rewriting the scheduled one; a repeated
    /// request within the same second is the same run.
    /// </summary>
    public Task<IResult> RequestProbeAsync(string id, HttpRequest request, CancellationToken cancellationToken) =>
        AnswerAsync(ApiRoutes.RequestProbe, ct => RequestProbeCoreAsync(id, request, ct), cancellationToken);

    private async Task<IResult> RequestProbeCoreAsync(string id, HttpRequest request, CancellationToken cancellationToken)
    {
        var query = ApiQuery.Of(request);
        var targetId = query.TargetId(id);
        if (query.Problem is { } problem)
        {
            return problem;
        }

        if (await targets.GetAsync(targetId, cancellationToken).ConfigureAwait(false) is null)
        {
            return UnknownTarget(targetId);
        }

        var now = time.GetUtcNow();
        var slot = new DateTimeOffset(now.Ticks - (now.Ticks % TimeSpan.TicksPerSecond), TimeSpan.Zero);
        try
        {
            await probes.SendAsync(new ProbeRequest(targetId, slot), null, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            // The probe queue's depth in the detailed health.
            writes.WroteMonitorState();
        }

        return ApiJson.Ok(new ProbeAccepted(targetId, slot, new RunId(targetId, slot).ToString()), StatusCodes.Status202Accepted);
    }

    private static IResult UnknownTarget(string targetId) => ApiProblem.NotFound($"no target has the id '{targetId}'");
}

/// <summary>A queued probe: the run it will write (poll <c>/history</c> or <c>/status</c> for it).</summary>
public sealed record ProbeAccepted(string TargetId, DateTimeOffset Slot, string RunId);
