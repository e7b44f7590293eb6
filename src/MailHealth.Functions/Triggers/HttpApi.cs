using MailHealth.Monitor.Api;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace MailHealth.Functions.Triggers;

/// <summary>
/// One HTTP function per route of <see cref="ApiRoutes.All"/>: its name, method and route (the
/// path without its leading slash: host.json's route prefix is empty so that the dashboard can be
/// served at <c>/</c>), each a call to <see cref="ApiInvoker"/>, which both hosts go through. Every
/// function is anonymous to the host: the application checks its own read and admin keys
/// (<c>MailHealth:Api</c>), so no caller ever needs the host's function or master keys. The worker's
/// ASP.NET Core integration executes the returned <see cref="IResult"/> on the request's HttpContext.
/// Attributes need constants, so a test compares the built functions.metadata with <see cref="ApiRoutes.All"/>.
/// </summary>
public sealed class HttpApi(ApiInvoker api)
{
    [Function(ApiRoutes.GetHealth)]
    public Task<IResult> GetHealthAsync([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/health")] HttpRequest request, CancellationToken cancellationToken) =>
        api.InvokeAsync(ApiRoutes.GetHealth, request, cancellationToken);

    [Function(ApiRoutes.GetOpenApi)]
    public Task<IResult> GetOpenApiAsync([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/openapi.json")] HttpRequest request, CancellationToken cancellationToken) =>
        api.InvokeAsync(ApiRoutes.GetOpenApi, request, cancellationToken);

    [Function(ApiRoutes.ListTargets)]
    public Task<IResult> ListTargetsAsync([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/targets")] HttpRequest request, CancellationToken cancellationToken) =>
        api.InvokeAsync(ApiRoutes.ListTargets, request, cancellationToken);

    [Function(ApiRoutes.GetTarget)]
    public Task<IResult> GetTargetAsync([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/targets/{id}")] HttpRequest request, string id, CancellationToken cancellationToken) =>
        api.InvokeAsync(ApiRoutes.GetTarget, request, id, cancellationToken);

    [Function(ApiRoutes.PutTarget)]
    public Task<IResult> PutTargetAsync([HttpTrigger(AuthorizationLevel.Anonymous, "put", Route = "api/targets/{id}")] HttpRequest request, string id, CancellationToken cancellationToken) =>
        api.InvokeAsync(ApiRoutes.PutTarget, request, id, cancellationToken);

    [Function(ApiRoutes.DeleteTarget)]
    public Task<IResult> DeleteTargetAsync([HttpTrigger(AuthorizationLevel.Anonymous, "delete", Route = "api/targets/{id}")] HttpRequest request, string id, CancellationToken cancellationToken) =>
        api.InvokeAsync(ApiRoutes.DeleteTarget, request, id, cancellationToken);

    [Function(ApiRoutes.RequestProbe)]
    public Task<IResult> RequestProbeAsync([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/targets/{id}/probe")] HttpRequest request, string id, CancellationToken cancellationToken) =>
        api.InvokeAsync(ApiRoutes.RequestProbe, request, id, cancellationToken);

    [Function(ApiRoutes.GetStatus)]
    public Task<IResult> GetStatusAsync([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/targets/{id}/status")] HttpRequest request, string id, CancellationToken cancellationToken) =>
        api.InvokeAsync(ApiRoutes.GetStatus, request, id, cancellationToken);

    [Function(ApiRoutes.ListStatus)]
    public Task<IResult> ListStatusAsync([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/status")] HttpRequest request, CancellationToken cancellationToken) =>
        api.InvokeAsync(ApiRoutes.ListStatus, request, cancellationToken);

    [Function(ApiRoutes.GetHistory)]
    public Task<IResult> GetHistoryAsync([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/targets/{id}/history")] HttpRequest request, string id, CancellationToken cancellationToken) =>
        api.InvokeAsync(ApiRoutes.GetHistory, request, id, cancellationToken);

    [Function(ApiRoutes.GetReport)]
    public Task<IResult> GetReportAsync([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/targets/{id}/report")] HttpRequest request, string id, CancellationToken cancellationToken) =>
        api.InvokeAsync(ApiRoutes.GetReport, request, id, cancellationToken);

    [Function(ApiRoutes.ListAlerts)]
    public Task<IResult> ListAlertsAsync([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/alerts")] HttpRequest request, CancellationToken cancellationToken) =>
        api.InvokeAsync(ApiRoutes.ListAlerts, request, cancellationToken);

    [Function(ApiRoutes.AcknowledgeAlert)]
    public Task<IResult> AcknowledgeAlertAsync([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/alerts/{id}/ack")] HttpRequest request, string id, CancellationToken cancellationToken) =>
        api.InvokeAsync(ApiRoutes.AcknowledgeAlert, request, id, cancellationToken);

    [Function(ApiRoutes.ListEvents)]
    public Task<IResult> ListEventsAsync([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/events")] HttpRequest request, CancellationToken cancellationToken) =>
        api.InvokeAsync(ApiRoutes.ListEvents, request, cancellationToken);

    [Function(ApiRoutes.TestNotifications)]
    public Task<IResult> TestNotificationsAsync([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/notifications/test")] HttpRequest request, CancellationToken cancellationToken) =>
        api.InvokeAsync(ApiRoutes.TestNotifications, request, cancellationToken);

    [Function(ApiRoutes.PostReport)]
    public Task<IResult> PostReportAsync([HttpTrigger(AuthorizationLevel.Anonymous, "post", Route = "api/reports")] HttpRequest request, CancellationToken cancellationToken) =>
        api.InvokeAsync(ApiRoutes.PostReport, request, cancellationToken);

    [Function(ApiRoutes.GetReportInput)]
    public Task<IResult> GetReportInputAsync([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/reports/{id}")] HttpRequest request, string id, CancellationToken cancellationToken) =>
        api.InvokeAsync(ApiRoutes.GetReportInput, request, id, cancellationToken);

    [Function(ApiRoutes.ListReports)]
    public Task<IResult> ListReportsAsync([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/reports")] HttpRequest request, CancellationToken cancellationToken) =>
        api.InvokeAsync(ApiRoutes.ListReports, request, cancellationToken);

    [Function(ApiRoutes.GetDmarc)]
    public Task<IResult> GetDmarcAsync([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/targets/{id}/dmarc")] HttpRequest request, string id, CancellationToken cancellationToken) =>
        api.InvokeAsync(ApiRoutes.GetDmarc, request, id, cancellationToken);

    [Function(ApiRoutes.GetDmarcSources)]
    public Task<IResult> GetDmarcSourcesAsync([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/targets/{id}/dmarc/sources")] HttpRequest request, string id, CancellationToken cancellationToken) =>
        api.InvokeAsync(ApiRoutes.GetDmarcSources, request, id, cancellationToken);

    [Function(ApiRoutes.GetTlsReports)]
    public Task<IResult> GetTlsReportsAsync([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/targets/{id}/tls-reports")] HttpRequest request, string id, CancellationToken cancellationToken) =>
        api.InvokeAsync(ApiRoutes.GetTlsReports, request, id, cancellationToken);

    [Function(ApiRoutes.ListDmarcSummaries)]
    public Task<IResult> ListDmarcSummariesAsync([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/dmarc")] HttpRequest request, CancellationToken cancellationToken) =>
        api.InvokeAsync(ApiRoutes.ListDmarcSummaries, request, cancellationToken);

    [Function(ApiRoutes.GetHealthDetail)]
    public Task<IResult> GetHealthDetailAsync([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "api/health/detail")] HttpRequest request, CancellationToken cancellationToken) =>
        api.InvokeAsync(ApiRoutes.GetHealthDetail, request, cancellationToken);
}
