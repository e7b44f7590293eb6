using MailHealth.Monitor.ReceiverReports;
using MailHealth.ReceiverReports;
using MailHealth.Storage.ReceiverReports;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Http.Features;

namespace MailHealth.Monitor.Api;

public sealed partial class MailHealthApi
{
    /// <summary>
    /// <c>POST /api/reports</c> (admin key): one report input as the body (a whole e-mail message,
    /// a zip, a gzip, the XML or JSON), at most <see cref="ReceiverReportSettings.MaxMessageBytes"/>
    /// (413 past it). Stored and queued: 202 with the input's id and where to read what became of
    /// it. The same bytes again are the same input: 200 with what became of its reports, each a
    /// duplicate now, and nothing queued. The body is read before the storage deadline starts: a
    /// slow upload is the caller's time, not storage's.
    /// </summary>
    public async Task<IResult> PostReportAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        var query = ApiQuery.Of(request);
        if (query.Problem is { } problem)
        {
            return problem;
        }

        var limit = ingestion.MaxInputBytes;
        // Kestrel refuses bodies past 30 MB of its own; this route's limit is the setting's.
        if (request.HttpContext.Features.Get<IHttpMaxRequestBodySizeFeature>() is { IsReadOnly: false } bodySize)
        {
            bodySize.MaxRequestBodySize = limit + 1;
        }

        using var body = await ReadLimitedAsync(request, limit, cancellationToken).ConfigureAwait(false);
        if (body is null)
        {
            return ApiProblem.TooLarge(limit, $"{ReceiverReportSettings.Section}:{nameof(ReceiverReportSettings.MaxMessageBytes)}");
        }

        if (body.Length == 0)
        {
            return ApiProblem.BadRequest("body", "is required: a report (XML, JSON, gzip or zip) or a whole e-mail message carrying reports");
        }

        var input = body.GetBuffer().AsMemory(0, (int)body.Length);
        return await AnswerAsync(
            ApiRoutes.PostReport,
            async ct =>
            {
                var submission = await ingestion.SubmitAsync(input, ReportDoors.Api, ct).ConfigureAwait(false);
                return ApiJson.Ok(ReportInputAnswer.Of(submission.Record), submission.Queued ? StatusCodes.Status202Accepted : StatusCodes.Status200OK);
            },
            cancellationToken).ConfigureAwait(false);
    }

    /// <summary><c>GET /api/reports/{id}</c>: an input (id: the SHA-256 of its bytes) and what became of each report in it, once processed.</summary>
    public Task<IResult> GetReportInputAsync(string id, HttpRequest request, CancellationToken cancellationToken) =>
        AnswerAsync(ApiRoutes.GetReportInput, ct => GetReportInputCoreAsync(id, request, ct), cancellationToken);

    private async Task<IResult> GetReportInputCoreAsync(string id, HttpRequest request, CancellationToken cancellationToken)
    {
        var query = ApiQuery.Of(request);
        var input = query.InputId(id);
        if (query.Problem is { } problem)
        {
            return problem;
        }

        var record = await ingestion.GetAsync(input, cancellationToken).ConfigureAwait(false);
        return record is null
            ? ApiProblem.NotFound($"no report input has the id '{input}'")
            : ApiJson.Ok(ReportInputAnswer.Of(record));
    }
}

/// <summary>
/// A report input as the API answers it: its id, when and how it came, its size, whether it was
/// processed, where to read it again (<c>statusUrl</c>), and what became of each report in it.
/// </summary>
public sealed record ReportInputAnswer(
    string Input,
    DateTimeOffset ReceivedAt,
    string Door,
    long Bytes,
    ReportInputState State,
    DateTimeOffset? ProcessedAt,
    string StatusUrl,
    IReadOnlyList<ReportOutcome> Reports)
{
    public static ReportInputAnswer Of(ReportInputRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return new(record.Input, record.ReceivedAt, record.Door, record.Bytes, record.State, record.ProcessedAt, "/api/reports/" + record.Input, record.Reports);
    }
}
