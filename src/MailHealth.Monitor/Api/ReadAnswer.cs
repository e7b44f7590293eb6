using Microsoft.AspNetCore.Http;

namespace MailHealth.Monitor.Api;

/// <summary>
/// A read route's 200, or its 304 when the caller's <c>If-None-Match</c> names the body's tag:
/// either way with the tag, how long the caller may keep it (<see cref="ReadFreshness"/>) and
/// <c>Vary</c>, as RFC 9110 section 15.4.5 asks of a 304; the 304 without a body.
/// </summary>
public sealed class ReadAnswer : IResult, IStatusCodeHttpResult
{
    /// <summary>
    /// The request headers an answer depends on: who is asking (a key, a bearer token, a
    /// session). The answers are <c>private</c> anyway; this keeps a browser from reusing one
    /// caller's copy for a request with other credentials.
    /// </summary>
    public const string VaryOn = "x-functions-key, Authorization, Cookie";

    private readonly CachedBody? _body;
    private readonly string _etag;
    private readonly string _cacheControl;

    private ReadAnswer(CachedBody? body, string etag, string cacheControl)
    {
        _body = body;
        _etag = etag;
        _cacheControl = cacheControl;
    }

    public int? StatusCode => _body is null ? StatusCodes.Status304NotModified : StatusCodes.Status200OK;

    /// <summary>The body, or a 304 when the request names its tag.</summary>
    public static ReadAnswer Of(HttpRequest request, CachedBody body, string cacheControl)
    {
        ArgumentNullException.ThrowIfNull(body);
        return EntityTags.Matches(request, body.ETag) ? new(null, body.ETag, cacheControl) : new(body, body.ETag, cacheControl);
    }

    /// <summary>A 304 when the request names <paramref name="etag"/>; else the body <paramref name="make"/> makes (only then).</summary>
    public static ReadAnswer Of(HttpRequest request, string etag, Func<ReadOnlyMemory<byte>> make, string cacheControl)
    {
        ArgumentNullException.ThrowIfNull(make);
        return EntityTags.Matches(request, etag) ? new(null, etag, cacheControl) : new(new CachedBody(make(), CachedBody.Json, etag), etag, cacheControl);
    }

    public async Task ExecuteAsync(HttpContext httpContext)
    {
        ArgumentNullException.ThrowIfNull(httpContext);
        var response = httpContext.Response;
        response.Headers.ETag = _etag;
        response.Headers.CacheControl = _cacheControl;
        response.Headers.Vary = VaryOn;
        if (_body is null)
        {
            response.StatusCode = StatusCodes.Status304NotModified;
            return;
        }

        response.StatusCode = StatusCodes.Status200OK;
        response.ContentType = _body.ContentType;
        response.ContentLength = _body.Content.Length;
        await response.Body.WriteAsync(_body.Content, httpContext.RequestAborted).ConfigureAwait(false);
    }
}
