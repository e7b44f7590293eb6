using System.Net;
using System.Net.Http.Headers;
using System.Text;
using MailHealth.Network;

namespace MailHealth.Monitor.Notifications;

/// <summary>
/// One POST to a webhook and what its answer means: 2xx delivered; 408, 429, 5xx, a timeout or a
/// connection error retryable (with the Retry-After the receiver sent, RFC 9110 section 10.2.3);
/// any other answer permanent. Redirects are not followed (a signed body is for the URL configured).
/// Reasons are built from status codes and error kinds only: the URL (a secret for Slack and
/// Teams) and exception messages never appear in them. The receiver's answer (its status line
/// and the start of its body) goes with the result as <see cref="DeliveryResult.Answer"/>.
/// </summary>
internal sealed class HttpDelivery(IHttpClientFactory clients, TimeProvider time)
{
    /// <summary>The named client registered by AddMailHealthNotifications (no redirects, no request logging).</summary>
    public const string ClientName = "MailHealth.Notifications";

    /// <summary>How much of an answer's body is read: its first sentence or two, not a whole page.</summary>
    private const int AnswerBodyBytes = 1024;

    public async Task<DeliveryResult> PostAsync(Uri url, HttpContent content, IEnumerable<KeyValuePair<string, string>> headers, TimeSpan timeout, CancellationToken cancellationToken)
    {
        using var deadline = new CancellationTokenSource(timeout, time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        using var request = new HttpRequestMessage(HttpMethod.Post, url) { Content = content };
        foreach (var (name, value) in headers)
        {
            request.Headers.TryAddWithoutValidation(name, value);
        }

        var client = clients.CreateClient(ClientName);
        try
        {
            using var response = await client.SendAsync(request, HttpCompletionOption.ResponseHeadersRead, linked.Token);
            var result = Classify(response, time.GetUtcNow());
            var answer = await AnswerAsync(response, linked.Token);
            cancellationToken.ThrowIfCancellationRequested();
            return result.WithAnswer(answer);
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return DeliveryResult.RetryableFailure($"no answer within {timeout.TotalSeconds:0.#} s");
        }
        catch (HttpRequestException e) when (AddressRefusedException.Find(e) is { } refused)
        {
            return DeliveryResult.NotAllowed(refused);
        }
        catch (HttpRequestException e)
        {
            return DeliveryResult.RetryableFailure($"request failed ({e.HttpRequestError})");
        }
    }

    public static DeliveryResult Classify(HttpResponseMessage response, DateTimeOffset now)
    {
        var code = (int)response.StatusCode;
        if (code is >= 200 and <= 299)
        {
            return DeliveryResult.Delivered;
        }

        var reason = $"HTTP {code} ({response.StatusCode})";
        if (response.StatusCode is HttpStatusCode.RequestTimeout or HttpStatusCode.TooManyRequests || code >= 500)
        {
            return DeliveryResult.RetryableFailure(reason, RetryAfter(response.Headers.RetryAfter, now));
        }

        return DeliveryResult.PermanentFailure(code is >= 300 and <= 399 ? reason + ", redirect not followed" : reason);
    }

    /// <summary>"HTTP 500 Internal Server Error: " and the body's first bytes; the status line alone when the body does not come within the attempt's time.</summary>
    private static async Task<string> AnswerAsync(HttpResponseMessage response, CancellationToken cancellationToken)
    {
        var status = $"HTTP {(int)response.StatusCode} {response.ReasonPhrase}".TrimEnd();
        var buffer = new byte[AnswerBodyBytes];
        var filled = 0;
        try
        {
            await using var body = await response.Content.ReadAsStreamAsync(cancellationToken);
            int read;
            while (filled < buffer.Length && (read = await body.ReadAsync(buffer.AsMemory(filled), cancellationToken)) > 0)
            {
                filled += read;
            }
        }
        catch (Exception e) when (e is IOException or HttpRequestException or OperationCanceledException)
        {
            // The classification stands on the status alone; the body was only for showing.
        }

        var text = Encoding.UTF8.GetString(buffer, 0, filled).Trim();
        return text.Length > 0 ? $"{status}: {text}" : status;
    }

    /// <summary>Retry-After as seconds or as an HTTP date; null when absent or already past.</summary>
    public static TimeSpan? RetryAfter(RetryConditionHeaderValue? header, DateTimeOffset now)
    {
        if (header?.Delta is { } delta)
        {
            return delta > TimeSpan.Zero ? delta : null;
        }

        if (header?.Date is { } date)
        {
            var wait = date - now;
            return wait > TimeSpan.Zero ? wait : null;
        }

        return null;
    }
}
