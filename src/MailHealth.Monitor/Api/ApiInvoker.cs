using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.Logging;

namespace MailHealth.Monitor.Api;

/// <summary>
/// The one way into the API's handlers, for both hosts: <c>serve</c> maps every route to it
/// (<see cref="ApiEndpoints"/>), the Functions app calls it from one anonymous HTTP function per
/// route. It checks the caller against the route's access (<see cref="ApiAuthorization"/>), runs
/// the route's handler, and turns a failure into problem details: storage that cannot be reached
/// a 503, anything else a 500 without internals (logged). So both hosts answer a request the same.
/// </summary>
public sealed class ApiInvoker
{
    private static readonly Dictionary<string, Handler> Handlers = new(StringComparer.Ordinal)
    {
        [ApiRoutes.GetHealth] = (api, r, _, ct) => api.GetHealthAsync(r, ct),
        [ApiRoutes.GetHealthDetail] = (api, r, _, ct) => api.GetHealthDetailAsync(r, ct),
        [ApiRoutes.GetOpenApi] = (api, r, _, ct) => api.GetOpenApiAsync(r, ct),
        [ApiRoutes.ListTargets] = (api, r, _, ct) => api.ListTargetsAsync(r, ct),
        [ApiRoutes.GetTarget] = (api, r, id, ct) => api.GetTargetAsync(id, r, ct),
        [ApiRoutes.PutTarget] = (api, r, id, ct) => api.PutTargetAsync(id, r, ct),
        [ApiRoutes.DeleteTarget] = (api, r, id, ct) => api.DeleteTargetAsync(id, r, ct),
        [ApiRoutes.RequestProbe] = (api, r, id, ct) => api.RequestProbeAsync(id, r, ct),
        [ApiRoutes.GetStatus] = (api, r, id, ct) => api.GetStatusAsync(id, r, ct),
        [ApiRoutes.ListStatus] = (api, r, _, ct) => api.ListStatusAsync(r, ct),
        [ApiRoutes.GetHistory] = (api, r, id, ct) => api.GetHistoryAsync(id, r, ct),
        [ApiRoutes.GetReport] = (api, r, id, ct) => api.GetReportAsync(id, r, ct),
        [ApiRoutes.ListAlerts] = (api, r, _, ct) => api.ListAlertsAsync(r, ct),
        [ApiRoutes.AcknowledgeAlert] = (api, r, id, ct) => api.AcknowledgeAlertAsync(id, r, ct),
        [ApiRoutes.ListEvents] = (api, r, _, ct) => api.ListEventsAsync(r, ct),
        [ApiRoutes.TestNotifications] = (api, r, _, ct) => api.TestNotificationsAsync(r, ct),
        [ApiRoutes.PostReport] = (api, r, _, ct) => api.PostReportAsync(r, ct),
        [ApiRoutes.GetReportInput] = (api, r, id, ct) => api.GetReportInputAsync(id, r, ct),
        [ApiRoutes.ListReports] = (api, r, _, ct) => api.ListReportsAsync(r, ct),
        [ApiRoutes.GetDmarc] = (api, r, id, ct) => api.GetDmarcAsync(id, r, ct),
        [ApiRoutes.GetDmarcSources] = (api, r, id, ct) => api.GetDmarcSourcesAsync(id, r, ct),
        [ApiRoutes.GetTlsReports] = (api, r, id, ct) => api.GetTlsReportsAsync(id, r, ct),
        [ApiRoutes.ListDmarcSummaries] = (api, r, _, ct) => api.ListDmarcSummariesAsync(r, ct),
    };

    private static readonly Dictionary<string, ApiRoute> Routes = ApiRoutes.All.ToDictionary(r => r.Name, StringComparer.Ordinal);

    private readonly MailHealthApi _api;
    private readonly ApiAuthorization _authorization;
    private readonly ILogger<MailHealthApi> _logger;

    public ApiInvoker(MailHealthApi api, ApiAuthorization authorization, ILogger<MailHealthApi> logger)
    {
        // A route without a handler stops the host at start-up, not at its first request.
        if (ApiRoutes.All.FirstOrDefault(r => !Handlers.ContainsKey(r.Name)) is { } unhandled)
        {
            throw new InvalidOperationException($"the API route {unhandled.Name} has no handler in {nameof(ApiInvoker)}");
        }

        _api = api;
        _authorization = authorization;
        _logger = logger;
    }

    private delegate Task<IResult> Handler(MailHealthApi api, HttpRequest request, string id, CancellationToken cancellationToken);

    /// <summary>Answers <paramref name="request"/> to the route named <paramref name="route"/> (an <see cref="ApiRoutes"/> name); <paramref name="id"/> is its <c>{id}</c>, if it has one.</summary>
    public async Task<IResult> InvokeAsync(string route, HttpRequest request, string id, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        _authorization.OfferSignIn(request.HttpContext.Response);
        if (_authorization.Check(request, Routes[route].Access) is { } refused)
        {
            return refused;
        }

        try
        {
            return await Handlers[route](_api, request, id, cancellationToken).ConfigureAwait(false);
        }
        catch (Exception e) when (e is not OperationCanceledException || !cancellationToken.IsCancellationRequested)
        {
            // The handlers answer their own failures, a storage outage as a 503 (MailHealthApi's
            // AnswerAsync); this is the net for anything that escapes them.
            ApiLog.Failed(_logger, route, e);
            return ApiProblem.Internal();
        }
    }

    /// <summary>Answers a route without <c>{id}</c>.</summary>
    public Task<IResult> InvokeAsync(string route, HttpRequest request, CancellationToken cancellationToken) =>
        InvokeAsync(route, request, string.Empty, cancellationToken);
}
