using System.Text.Json;
using MailHealth.Alerts;
using MailHealth.Monitor.Caching;
using MailHealth.Targets;
using Microsoft.AspNetCore.Http;

namespace MailHealth.Monitor.Api;

public sealed partial class MailHealthApi
{
    /// <summary>Longest "by" an acknowledgement keeps (a name or an address, not an essay).</summary>
    private const int MaxAcknowledgedByLength = 200;

    private static readonly JsonSerializerOptions AcknowledgementJson = new(JsonSerializerDefaults.Web)
    {
        UnmappedMemberHandling = System.Text.Json.Serialization.JsonUnmappedMemberHandling.Disallow,
    };

    /// <summary><c>GET /api/alerts?state=open|resolved|all&amp;target=&amp;limit=&amp;continuation=</c>: open by default; pending findings are not alerts yet.</summary>
    public Task<IResult> ListAlertsAsync(HttpRequest request, CancellationToken cancellationToken) =>
        AnswerAsync(ApiRoutes.ListAlerts, ct => ListAlertsCoreAsync(request, ct), cancellationToken);

    private async Task<IResult> ListAlertsCoreAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var query = ApiQuery.Of(request, "state", "target", "limit", "continuation");
        var state = query.Choice("state", "open", "open", "resolved", "all");
        var target = query.Text("target") is { } given ? query.TargetId(given, "target") : null;
        var limit = query.Limit(100);
        var continuation = query.Text("continuation");
        if (query.Problem is { } problem)
        {
            return problem;
        }

        IReadOnlyList<AlertStatus> statuses = state switch
        {
            "open" => [AlertStatus.Open],
            "resolved" => [AlertStatus.Resolved],
            _ => [AlertStatus.Open, AlertStatus.Resolved],
        };
        var key = ReadKey(ApiRoutes.ListAlerts, state, target, KeyOf(limit), continuation);
        return await ReadAsync(request, key, ReadFreshness.Revalidate, async ct =>
        {
            if (target is null)
            {
                return await PageAsync(() => alerts.ListByStatusesAsync(statuses, limit, continuation, ct), _ => ReadScope.Fleet).ConfigureAwait(false);
            }

            if (await targets.GetAsync(target, ct).ConfigureAwait(false) is null)
            {
                return ReadOutcome.Answer(UnknownTarget(target));
            }

            return await PageAsync(() => alerts.ListOfTargetAsync(target, statuses, limit, continuation, ct), _ => ReadScope.Target(target)).ConfigureAwait(false);
        }, cancellationToken).ConfigureAwait(false);
    }

    /// <summary>
    /// <c>POST /api/alerts/{id}/ack</c> with an optional body <c>{"by": "name"}</c>: acknowledges an
    /// open alert (200, again: 200 unchanged); a pending or resolved one is a 409 saying why.
    /// </summary>
    public Task<IResult> AcknowledgeAlertAsync(string id, HttpRequest request, CancellationToken cancellationToken) =>
        AnswerAsync(ApiRoutes.AcknowledgeAlert, ct => AcknowledgeAlertCoreAsync(id, request, ct), cancellationToken);

    private async Task<IResult> AcknowledgeAlertCoreAsync(string id, HttpRequest request, CancellationToken cancellationToken)
    {
        var query = ApiQuery.Of(request);
        if (AlertIdProblem(id) is { } idProblem)
        {
            query.Error("id", idProblem);
        }

        if (query.Problem is { } problem)
        {
            return problem;
        }

        var (body, bodyProblem) = await ReadBodyAsync<AcknowledgeRequest>(request, AcknowledgementJson, optional: true, cancellationToken).ConfigureAwait(false);
        if (bodyProblem is not null)
        {
            return bodyProblem;
        }

        var by = body?.By?.Trim();
        if (by is { Length: 0 or > MaxAcknowledgedByLength } || (by is not null && by.Any(char.IsControl)))
        {
            return ApiProblem.BadRequest("body.by", $"is 1-{MaxAcknowledgedByLength} characters without control characters");
        }

        var acknowledgement = await acknowledger.AcknowledgeAsync(id, by ?? "api", cancellationToken).ConfigureAwait(false);
        if (acknowledgement is null)
        {
            return ApiProblem.NotFound($"no alert has the id '{id}'");
        }

        return acknowledgement.Succeeded
            ? ApiJson.Ok(acknowledgement.Alert)
            : ApiProblem.Conflict(acknowledgement.Error ?? $"alert '{id}' cannot be acknowledged");
    }

    /// <summary>Alert ids are <c>{target id}.{FINDING_CODE}.{16 hex}</c> (<see cref="AlertKey.Id"/>): anything else names no alert and never reaches storage.</summary>
    private static string? AlertIdProblem(string? id)
    {
        const string Shape = "is not an alert id ({target id}.{FINDING_CODE}.{16 hex digits})";
        if (id is null || id.Length > 200)
        {
            return Shape;
        }

        var parts = id.Split('.');
        return parts.Length == 3
            && TargetValidator.IdProblem(parts[0]) is null
            && parts[1].Length is > 0 and <= 64 && parts[1].All(c => char.IsAsciiLetterUpper(c) || char.IsAsciiDigit(c) || c == '_')
            && parts[2].Length == 16 && parts[2].All(char.IsAsciiHexDigitLower)
            ? null
            : $"'{ApiQuery.Shorten(id)}' {Shape}";
    }

    private sealed record AcknowledgeRequest(string? By);
}
