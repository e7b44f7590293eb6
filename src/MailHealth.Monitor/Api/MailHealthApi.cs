using System.Text.Json;
using MailHealth.Monitor.Alerts;
using MailHealth.Monitor.Availability;
using MailHealth.Monitor.Caching;
using MailHealth.Monitor.Notifications;
using MailHealth.Monitor.ReceiverReports;
using MailHealth.Monitor.Targets;
using MailHealth.Storage.Alerts;
using MailHealth.Storage.Availability;
using MailHealth.Storage.Changes;
using MailHealth.Storage.Egress;
using MailHealth.Storage.Heartbeats;
using MailHealth.Storage.Latest;
using MailHealth.Storage.Queues;
using MailHealth.Storage.Runs;
using MailHealth.Storage.Targets;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MailHealth.Monitor.Api;

/// <summary>
/// The HTTP API's handlers, written once for both hosts: <c>serve</c> maps them on Kestrel
/// (<see cref="ApiEndpoints.MapMailHealthApi"/>), the Functions app calls them from one HTTP
/// function per route. They read what was stored and write targets, probe requests,
/// acknowledgements and receivers' reports, and send test notifications; keys are checked before them
/// (<see cref="ApiInvoker"/>). Every input a caller chose is checked before it reaches storage, so
/// nothing a caller sends answers 500. Every route answers through <see cref="AnswerAsync"/>, so
/// both hosts answer a storage outage and a failure alike.
/// </summary>
public sealed partial class MailHealthApi(
    TargetStore targets,
    TargetRemoval removal,
    RunStore runs,
    LatestStatusStore latest,
    AlertStore alerts,
    AlertAcknowledger acknowledger,
    ChangeEventStore changes,
    ProbeQueue probes,
    NotificationQueue notifications,
    ReportQueue reportQueue,
    ReportIngestion ingestion,
    ReceiverTotalsReader receivers,
    HeartbeatStore heartbeats,
    EgressSignalStore egress,
    OpenApiDocument openApi,
    NotificationTester notificationTester,
    OutageRecorder outages,
    StorageStartup startup,
    StorageAvailability availability,
    StorageDeadline deadline,
    IOptions<MonitorSettings> monitor,
    IOptions<ApiSettings> settings,
    ApiReadCache reads,
    WriteClock writes,
    TimeProvider time,
    ILogger<MailHealthApi> logger)
{
    /// <summary>
    /// Answers a route with <paramref name="handler"/>, which waits for storage at most
    /// <see cref="ApiSettings.StorageDeadline"/>: a storage outage, or that deadline, answers 503
    /// with <c>Retry-After</c>; any other failure a 500 without internals, logged. Here, not in a
    /// host, so that <c>serve</c> and the Functions app answer the same.
    /// </summary>
    /// <param name="unavailable">The 503 to answer, when a route says more than that storage is out.</param>
    private async Task<IResult> AnswerAsync(
        string route, Func<CancellationToken, Task<IResult>> handler, CancellationToken cancellationToken, Func<StorageUnavailableException, IResult>? unavailable = null)
    {
        try
        {
            return await deadline.RunAsync(settings.Value.StorageDeadline, handler, cancellationToken).ConfigureAwait(false);
        }
        catch (StorageUnavailableException e)
        {
            ApiLog.StorageUnavailable(logger, route, e.Message);
            return unavailable?.Invoke(e) ?? ApiProblem.StorageUnavailable(e.Message, availability.Current?.Since);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            ApiLog.Failed(logger, route, e);
            return ApiProblem.Internal();
        }
    }

    /// <summary>Reads a JSON body of at most <see cref="ApiSettings.MaxBodyBytes"/>: the value, or the problem to answer with.</summary>
    private async Task<(T? Value, IResult? Problem)> ReadBodyAsync<T>(HttpRequest request, JsonSerializerOptions options, bool optional, CancellationToken cancellationToken)
        where T : class
    {
        var limit = settings.Value.MaxBodyBytes;
        using var buffer = await ReadLimitedAsync(request, limit, cancellationToken).ConfigureAwait(false);
        if (buffer is null)
        {
            return (null, ApiProblem.TooLarge(limit));
        }

        if (buffer.Length == 0)
        {
            return optional ? (null, null) : (null, ApiProblem.BadRequest("body", "is required (a JSON object)"));
        }

        try
        {
            var value = JsonSerializer.Deserialize<T>(buffer.GetBuffer().AsSpan(0, (int)buffer.Length), options);
            return value is null ? (null, ApiProblem.BadRequest("body", "is null; a JSON object is required")) : (value, null);
        }
        catch (JsonException e)
        {
            var path = e.Path is { Length: > 1 } p ? "body" + p.TrimStart('$') : "body";
            return (null, ApiProblem.BadRequest(path, FirstSentence(e.Message)));
        }
    }

    /// <summary>
    /// The request's body when it is at most <paramref name="limit"/> bytes; null when it is longer
    /// (from its Content-Length before reading anything, or at the first byte past the limit).
    /// </summary>
    private static async Task<MemoryStream?> ReadLimitedAsync(HttpRequest request, long limit, CancellationToken cancellationToken)
    {
        if (request.ContentLength > limit)
        {
            return null;
        }

        var buffer = new MemoryStream();
        var chunk = new byte[81920];
        int read;
        try
        {
            while ((read = await request.Body.ReadAsync(chunk, cancellationToken).ConfigureAwait(false)) > 0)
            {
                if (buffer.Length + read > limit)
                {
                    await buffer.DisposeAsync().ConfigureAwait(false);
                    return null;
                }

                buffer.Write(chunk, 0, read);
            }
        }
        catch (BadHttpRequestException e) when (e.StatusCode == StatusCodes.Status413PayloadTooLarge)
        {
            // The server's own cap on the body (Kestrel's MaxRequestBodySize) came first.
            await buffer.DisposeAsync().ConfigureAwait(false);
            return null;
        }

        return buffer;
    }

    // System.Text.Json appends the path and position to its messages; the field already says where.
    private static string FirstSentence(string message)
    {
        var end = message.IndexOf(" Path:", StringComparison.Ordinal);
        return ApiQuery.Shorten(end > 0 ? message[..end] : message);
    }
}
