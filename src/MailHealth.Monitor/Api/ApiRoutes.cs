namespace MailHealth.Monitor.Api;

/// <summary>Who may call a route: anyone, a holder of a read (function) key, or of the admin key.</summary>
public enum ApiAccess
{
    Anonymous,
    Read,
    Admin,
}

/// <summary>One route of the HTTP API: its function name (the Functions app's), method, template under <c>/api</c> and access.</summary>
public sealed record ApiRoute(string Name, string Method, string Template, ApiAccess Access)
{
    /// <summary>The path template as served: <c>/api/</c> and the template.</summary>
    public string Path => "/api/" + Template;
}

/// <summary>
/// Every route of the HTTP API, once: <c>serve</c> maps them, the Functions app declares one HTTP
/// function per route with the same name, method, template and access (a test compares its
/// functions.metadata with this list), and the OpenAPI document is checked against it.
/// </summary>
public static class ApiRoutes
{
    public const string GetHealth = "GetHealth";
    public const string GetHealthDetail = "GetHealthDetail";
    public const string GetOpenApi = "GetOpenApi";
    public const string ListTargets = "ListTargets";
    public const string GetTarget = "GetTarget";
    public const string PutTarget = "PutTarget";
    public const string DeleteTarget = "DeleteTarget";
    public const string RequestProbe = "RequestProbe";
    public const string GetStatus = "GetStatus";
    public const string ListStatus = "ListStatus";
    public const string GetHistory = "GetHistory";
    public const string GetReport = "GetReport";
    public const string ListAlerts = "ListAlerts";
    public const string AcknowledgeAlert = "AcknowledgeAlert";
    public const string ListEvents = "ListEvents";
    public const string TestNotifications = "TestNotifications";
    public const string PostReport = "PostReport";
    public const string GetReportInput = "GetReportInput";
    public const string ListReports = "ListReports";
    public const string GetDmarc = "GetDmarc";
    public const string GetDmarcSources = "GetDmarcSources";
    public const string GetTlsReports = "GetTlsReports";
    public const string ListDmarcSummaries = "ListDmarcSummaries";

    public static IReadOnlyList<ApiRoute> All { get; } =
    [
        new(GetHealth, "GET", "health", ApiAccess.Anonymous),
        new(GetHealthDetail, "GET", "health/detail", ApiAccess.Read),
        new(GetOpenApi, "GET", "openapi.json", ApiAccess.Anonymous),
        new(ListTargets, "GET", "targets", ApiAccess.Read),
        new(GetTarget, "GET", "targets/{id}", ApiAccess.Read),
        new(PutTarget, "PUT", "targets/{id}", ApiAccess.Admin),
        new(DeleteTarget, "DELETE", "targets/{id}", ApiAccess.Admin),
        new(RequestProbe, "POST", "targets/{id}/probe", ApiAccess.Admin),
        new(GetStatus, "GET", "targets/{id}/status", ApiAccess.Read),
        new(ListStatus, "GET", "status", ApiAccess.Read),
        new(GetHistory, "GET", "targets/{id}/history", ApiAccess.Read),
        new(GetReport, "GET", "targets/{id}/report", ApiAccess.Read),
        new(ListAlerts, "GET", "alerts", ApiAccess.Read),
        new(AcknowledgeAlert, "POST", "alerts/{id}/ack", ApiAccess.Admin),
        new(ListEvents, "GET", "events", ApiAccess.Read),
        new(TestNotifications, "POST", "notifications/test", ApiAccess.Admin),
        new(PostReport, "POST", "reports", ApiAccess.Admin),
        new(GetReportInput, "GET", "reports/{id}", ApiAccess.Read),
        new(ListReports, "GET", "reports", ApiAccess.Read),
        new(GetDmarc, "GET", "targets/{id}/dmarc", ApiAccess.Read),
        new(GetDmarcSources, "GET", "targets/{id}/dmarc/sources", ApiAccess.Read),
        new(GetTlsReports, "GET", "targets/{id}/tls-reports", ApiAccess.Read),
        new(ListDmarcSummaries, "GET", "dmarc", ApiAccess.Read),
    ];
}
