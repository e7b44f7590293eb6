using System.Buffers;
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

    /// <summary>
    /// A page (<see cref="ApiPage{T}"/>) made of items already serialized in this JSON, byte for byte
    /// what serializing the page of those items writes, without serializing them again.
    /// </summary>
    public static byte[] Page(IReadOnlyList<ReadOnlyMemory<byte>> items, string? continuation)
    {
        ArgumentNullException.ThrowIfNull(items);
        var buffer = new ArrayBufferWriter<byte>(items.Sum(i => i.Length + 1) + 64 + (continuation?.Length ?? 0));
        using (var writer = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = Options.Encoder }))
        {
            writer.WriteStartObject();
            writer.WriteStartArray(Options.PropertyNamingPolicy!.ConvertName(nameof(ApiPage<object>.Items)));
            foreach (var item in items)
            {
                writer.WriteRawValue(item.Span, skipInputValidation: true);
            }

            writer.WriteEndArray();
            if (continuation is not null)
            {
                writer.WriteString(Options.PropertyNamingPolicy.ConvertName(nameof(ApiPage<object>.Continuation)), continuation);
            }

            writer.WriteEndObject();
        }

        return buffer.WrittenSpan.ToArray();
    }
}

/// <summary>One page of a list; <see cref="Continuation"/> is absent on the last page, else passed back as <c>?continuation=</c>.</summary>
public sealed record ApiPage<T>(IReadOnlyList<T> Items, string? Continuation);
