using System.Net;
using System.Net.Http.Headers;

namespace MailHealth.Bench;

/// <summary>
/// A browser's HTTP cache for one dashboard, as the dashboard's <c>fetch</c> with the browser cache
/// uses it: every answer's body is kept under its URL with its ETag, and the next request for that
/// URL carries it in <c>If-None-Match</c>; a 304 gives back the body kept. (Nothing is served
/// without asking: the dashboard's reads all revalidate.)
/// </summary>
internal sealed class BrowserCache(HttpClient http)
{
    private readonly Dictionary<string, (EntityTagHeaderValue ETag, byte[] Body)> _stored = new(StringComparer.Ordinal);

    /// <summary>The body of <paramref name="url"/>, fresh or revalidated; whether the server answered 304.</summary>
    public async Task<(byte[] Body, bool NotModified)> GetAsync(string url, CancellationToken cancellationToken)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, url);
        (EntityTagHeaderValue ETag, byte[] Body) kept;
        lock (_stored)
        {
            _stored.TryGetValue(url, out kept);
        }

        if (kept.ETag is not null)
        {
            request.Headers.IfNoneMatch.Add(kept.ETag);
        }

        using var response = await http.SendAsync(request, cancellationToken);
        var body = await response.Content.ReadAsByteArrayAsync(cancellationToken);
        if (response.StatusCode == HttpStatusCode.NotModified && kept.Body is not null)
        {
            return (kept.Body, true);
        }

        if (response.StatusCode != HttpStatusCode.OK)
        {
            throw new HttpRequestException($"{url}: {(int)response.StatusCode}", null, response.StatusCode);
        }

        if (response.Headers.ETag is { } etag)
        {
            lock (_stored)
            {
                _stored[url] = (etag, body);
            }
        }

        return (body, false);
    }
}
