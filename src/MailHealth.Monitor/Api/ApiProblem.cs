using Microsoft.AspNetCore.Http;

namespace MailHealth.Monitor.Api;

/// <summary>
/// The API's errors as RFC 9457 problem details (<c>application/problem+json</c>). A 400 names
/// each field that is wrong in <c>errors</c> (<c>{"limit": ["0 is not in 1-1000"]}</c>), the
/// shape ASP.NET Core's validation problems have, so a client can show it next to the field.
/// </summary>
public static class ApiProblem
{
    public static IResult BadRequest(string field, string message) =>
        BadRequest([new KeyValuePair<string, string>(field, message)]);

    public static IResult BadRequest(IEnumerable<KeyValuePair<string, string>> errors)
    {
        var byField = errors
            .GroupBy(e => e.Key, StringComparer.Ordinal)
            .ToDictionary(g => g.Key, g => g.Select(e => e.Value).ToArray(), StringComparer.Ordinal);
        var detail = string.Join("; ", byField.Select(f => $"{f.Key}: {string.Join(", ", f.Value)}"));
        return Results.ValidationProblem(byField, detail, title: "The request is not valid", statusCode: StatusCodes.Status400BadRequest);
    }

    public static IResult NotFound(string detail) =>
        Results.Problem(detail, title: "Not found", statusCode: StatusCodes.Status404NotFound);

    /// <summary>No route answers <paramref name="method"/> <paramref name="path"/>: a problem document, not the host's empty 404.</summary>
    public static IResult NoRoute(string method, string path) =>
        NotFound($"no route {method} {ApiQuery.Shorten(path)} (see /api/openapi.json)");

    public static IResult TooLarge(long limit, string? setting = null) =>
        Results.Problem(
            setting is null ? $"the body is larger than {limit} bytes" : $"the body is larger than {limit} bytes ({setting})",
            title: "Request body too large",
            statusCode: StatusCodes.Status413PayloadTooLarge);

    public static IResult Conflict(string detail) =>
        Results.Problem(detail, title: "Conflict", statusCode: StatusCodes.Status409Conflict);

    public static IResult Unauthorized(string detail) =>
        Results.Problem(detail, title: "Unauthorized", statusCode: StatusCodes.Status401Unauthorized);

    public static IResult Forbidden(string detail) =>
        Results.Problem(detail, title: "Forbidden", statusCode: StatusCodes.Status403Forbidden);

    /// <summary>How long a caller is asked to wait after a storage outage: outages last minutes, and sooner only adds load to a store that is failing.</summary>
    public static readonly TimeSpan StorageRetryAfter = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Storage is out (or did not answer within the API's deadline): 503 with <c>Retry-After</c>,
    /// and since when this process has seen it out. Extensions add to it (the health's lost slots).
    /// </summary>
    public static IResult StorageUnavailable(string detail, DateTimeOffset? since, IDictionary<string, object?>? extensions = null)
    {
        var all = new Dictionary<string, object?>(extensions ?? new Dictionary<string, object?>(), StringComparer.Ordinal);
        if (since is { } time)
        {
            all["unavailableSince"] = time;
        }

        var problem = Results.Problem(detail, title: "Storage unavailable", statusCode: StatusCodes.Status503ServiceUnavailable, extensions: all);
        return new RetryAfterResult(problem, StorageRetryAfter);
    }

    /// <summary>A failure that is not the caller's and not storage's: 500, its internals only in the log.</summary>
    public static IResult Internal() =>
        Results.Problem("the request failed on the server; it is logged", title: "Internal error", statusCode: StatusCodes.Status500InternalServerError);
}
