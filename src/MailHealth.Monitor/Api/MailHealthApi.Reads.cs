using System.Globalization;
using MailHealth.Monitor.Caching;
using MailHealth.Storage.Paging;
using Microsoft.AspNetCore.Http;

namespace MailHealth.Monitor.Api;

public sealed partial class MailHealthApi
{
    /// <summary>
    /// Answers a read route from the read cache (<see cref="ApiReadCache"/>), else from storage
    /// through <paramref name="read"/>, keeping what it found under <paramref name="key"/>; either
    /// way with a strong ETag and <paramref name="cacheControl"/>, and a 304 when the caller holds
    /// these bytes already. Runs inside <see cref="AnswerAsync"/>, so a storage failure is a 503 and
    /// never kept.
    /// </summary>
    private async Task<IResult> ReadAsync(HttpRequest request, string key, string cacheControl, Func<CancellationToken, Task<ReadOutcome>> read, CancellationToken cancellationToken)
    {
        if (reads.Get<CachedBody>(key) is { } kept)
        {
            return ReadAnswer.Of(request, kept, cacheControl);
        }

        var readAt = reads.Mark();
        var outcome = await read(cancellationToken).ConfigureAwait(false);
        if (outcome.Body is not { } body)
        {
            return outcome.Other!;
        }

        reads.Set(key, body, body.Content.Length, outcome.Scope!, readAt, outcome.KeepFor);
        return ReadAnswer.Of(request, body, cacheControl);
    }

    /// <summary>A page of a list read from storage, as the API answers it; a continuation token this query did not hand out is a 400.</summary>
    private static async Task<ReadOutcome> PageAsync<T>(Func<Task<StoredPage<T>>> read, Func<StoredPage<T>, ReadScope> scope)
    {
        try
        {
            var page = await read().ConfigureAwait(false);
            return ReadOutcome.Found(new ApiPage<T>(page.Items, page.ContinuationToken), scope(page));
        }
        catch (InvalidContinuationTokenException e)
        {
            return ReadOutcome.Answer(ApiProblem.BadRequest("continuation", e.Message));
        }
    }

    /// <summary>
    /// The read cache's key of a route's answer: the route and its query's values as read (so
    /// <c>from=2026-11-29</c> and <c>from=2026-11-29T00:00:00Z</c> are one entry), never a key or
    /// anything else of the caller's. Values hold no control character (<see cref="ApiQuery"/>
    /// refuses them), so the separator cannot occur in them.
    /// </summary>
    private static string ReadKey(string route, params ReadOnlySpan<string?> values)
    {
        var key = new System.Text.StringBuilder(route);
        foreach (var value in values)
        {
            key.Append('\u001f').Append(value ?? "\u0000");
        }

        return key.ToString();
    }

    private static string? KeyOf(DateTimeOffset? time) => time?.UtcTicks.ToString(CultureInfo.InvariantCulture);

    private static string KeyOf(int number) => number.ToString(CultureInfo.InvariantCulture);
}

/// <summary>
/// What a read route found in storage: a body, what it depends on and how long it may be kept when
/// less than a cycle, or another answer (a 404, a 400) that is never kept.
/// </summary>
internal readonly record struct ReadOutcome(CachedBody? Body, ReadScope? Scope, IResult? Other, TimeSpan? KeepFor = null)
{
    public static ReadOutcome Found<T>(T value, ReadScope scope, TimeSpan? keepFor = null) => Found(CachedBody.Of(value), scope, keepFor);

    public static ReadOutcome Found(CachedBody body, ReadScope scope, TimeSpan? keepFor = null) => new(body, scope, null, keepFor);

    public static ReadOutcome Answer(IResult answer) => new(null, null, answer);
}
