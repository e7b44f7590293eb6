using System.Text.Json;
using MailHealth.Reports;
using Microsoft.AspNetCore.Http;

namespace MailHealth.Monitor.Api;

/// <summary>The API's JSON: the report's shape (camelCase, enums in camelCase, times ISO-8601 UTC, nulls left out), on one line.</summary>
public static class ApiJson
{
    public static JsonSerializerOptions Options => ReportJson.LineOptions;

    public static IResult Ok<T>(T value, int statusCode = StatusCodes.Status200OK) =>
        Results.Json(value, Options, "application/json; charset=utf-8", statusCode);
}

/// <summary>One page of a list; <see cref="Continuation"/> is absent on the last page, else passed back as <c>?continuation=</c>.</summary>
public sealed record ApiPage<T>(IReadOnlyList<T> Items, string? Continuation);
