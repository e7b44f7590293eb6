using MailHealth.Monitor.Api;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace MailHealth.Functions.Triggers;

/// <summary>
/// One HTTP function per route of <see cref="ApiRoutes.All"/>: its name, method, route (the
/// path without its leading slash: host.json's route prefix is empty so that the dashboard can be
/// served at <c>/</c>) and key level (read: function key, write: admin key), each a call to the
/// handler both hosts share. The host checks the keys. The worker's ASP.NET Core integration
/// executes the returned <see cref="IResult"/> on the request's HttpContext. Attributes need
/// constants, so a test compares the built functions.metadata with <see cref="ApiRoutes.All"/>.
/// </summary>
public sealed class HttpApi(MailHealthApi api)
{
    [Function(ApiRoutes.GetHealth)]
    public Task<IResult> GetHealthAsync([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/health")] HttpRequest request, CancellationToken cancellationToken) =>
        api.GetHealthAsync(request, cancellationToken);

    [Function(ApiRoutes.GetOpenApi)]
    public Task<IResult> GetOpenApiAsync([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/openapi.json")] HttpRequest request, CancellationToken cancellationToken) =>
        api.GetOpenApiAsync(request, cancellationToken);

    [Function(ApiRoutes.ListTargets)]
    public Task<IResult> ListTargetsAsync([HttpTrigger(AuthorizationLevel.Function, "get", Route = "api/targets")] HttpRequest request, CancellationToken cancellationToken) =>
        api.ListTargetsAsync(request, cancellationToken);

    [Function(ApiRoutes.GetTarget)]
    public Task<IResult> GetTargetAsync([HttpTrigger(AuthorizationLevel.Function, "get", Route = "api/targets/{id}")] HttpRequest request, string id, CancellationToken cancellationToken) =>
        api.GetTargetAsync(id, request, cancellationToken);

    [Function(ApiRoutes.PutTarget)]
    public Task<IResult> PutTargetAsync([HttpTrigger(AuthorizationLevel.Admin, "put", Route = "api/targets/{id}")] HttpRequest request, string id, CancellationToken cancellationToken) =>
        api.PutTargetAsync(id, request, cancellationToken);

    [Function(ApiRoutes.DeleteTarget)]
    public Task<IResult> DeleteTargetAsync([HttpTrigger(AuthorizationLevel.Admin, "delete", Route = "api/targets/{id}")] HttpRequest request, string id, CancellationToken cancellationToken) =>
        api.DeleteTargetAsync(id, request, cancellationToken);

    [Function(ApiRoutes.RequestProbe)]
    public Task<IResult> RequestProbeAsync([HttpTrigger(AuthorizationLevel.Admin, "post", Route = "api/targets/{id}/probe")] HttpRequest request, string id, CancellationToken cancellationToken) =>
        api.RequestProbeAsync(id, request, cancellationToken);

    [Function(ApiRoutes.GetStatus)]
    public Task<IResult> GetStatusAsync([HttpTrigger(AuthorizationLevel.Function, "get", Route = "api/targets/{id}/status")] HttpRequest request, string id, CancellationToken cancellationToken) =>
        api.GetStatusAsync(id, request, cancellationToken);

    [Function(ApiRoutes.ListStatus)]
    public Task<IResult> ListStatusAsync([HttpTrigger(AuthorizationLevel.Function, "get", Route = "api/status")] HttpRequest request, CancellationToken cancellationToken) =>
        api.ListStatusAsync(request, cancellationToken);

    [Function(ApiRoutes.GetHistory)]
    public Task<IResult> GetHistoryAsync([HttpTrigger(AuthorizationLevel.Function, "get", Route = "api/targets/{id}/history")] HttpRequest request, string id, CancellationToken cancellationToken) =>
        api.GetHistoryAsync(id, request, cancellationToken);

    [Function(ApiRoutes.GetReport)]
    public Task<IResult> GetReportAsync([HttpTrigger(AuthorizationLevel.Function, "get", Route = "api/targets/{id}/report")] HttpRequest request, string id, CancellationToken cancellationToken) =>
        api.GetReportAsync(id, request, cancellationToken);

    [Function(ApiRoutes.ListAlerts)]
    public Task<IResult> ListAlertsAsync([HttpTrigger(AuthorizationLevel.Function, "get", Route = "api/alerts")] HttpRequest request, CancellationToken cancellationToken) =>
        api.ListAlertsAsync(request, cancellationToken);

    [Function(ApiRoutes.AcknowledgeAlert)]
    public Task<IResult> AcknowledgeAlertAsync([HttpTrigger(AuthorizationLevel.Admin, "post", Route = "api/alerts/{id}/ack")] HttpRequest request, string id, CancellationToken cancellationToken) =>
        api.AcknowledgeAlertAsync(id, request, cancellationToken);

    [Function(ApiRoutes.ListEvents)]
    public Task<IResult> ListEventsAsync([HttpTrigger(AuthorizationLevel.Function, "get", Route = "api/events")] HttpRequest request, CancellationToken cancellationToken) =>
        api.ListEventsAsync(request, cancellationToken);

    [Function(ApiRoutes.GetHealthDetail)]
    public Task<IResult> GetHealthDetailAsync([HttpTrigger(AuthorizationLevel.Function, "get", Route = "api/health/detail")] HttpRequest request, CancellationToken cancellationToken) =>
        api.GetHealthDetailAsync(request, cancellationToken);
}
