using MailHealth.Monitor.Api;

namespace MailHealth.Testing.Api;

/// <summary>
/// A request that passes a route's own checks (a valid id, a valid body), so what it meets next
/// is storage: one for every route of <see cref="ApiRoutes.All"/>, for tests that go through all
/// of them in both hosts. A route added to the table is covered without a change here.
/// </summary>
public sealed record RouteRequest(ApiRoute Route, string Id, string Path, string? Body)
{
    /// <summary>A report input's id in the shape the API accepts (64 hex digits), of no input stored.</summary>
    public const string InputId = "0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef";

    /// <summary>The id of an alert of target <paramref name="targetId"/>, in the shape the API accepts.</summary>
    public static string AlertId(string targetId) => targetId + ".TLS_CERT_EXPIRED.0123456789abcdef";

    /// <summary>
    /// Every route's request, about <paramref name="targetId"/>. A replace or a delete names
    /// another target: a request cut off by a deadline may still reach the store once it answers
    /// again, and a test must not lose or change its target to it.
    /// </summary>
    public static IReadOnlyList<RouteRequest> All(string targetId) =>
        [.. ApiRoutes.All.Select(route => Of(route, targetId))];

    /// <summary>
    /// The routes that answer without storage: the liveness health and the OpenAPI document from
    /// memory, the notification test through the channels. A storage outage leaves them answering.
    /// </summary>
    public static IReadOnlySet<string> WithoutStorage { get; } = new HashSet<string>(StringComparer.Ordinal)
    {
        ApiRoutes.GetHealth, ApiRoutes.GetOpenApi, ApiRoutes.TestNotifications,
    };

    /// <summary>As <see cref="All"/>, only the routes that read or write storage.</summary>
    public static IReadOnlyList<RouteRequest> NeedingStorage(string targetId) =>
        [.. All(targetId).Where(r => !WithoutStorage.Contains(r.Route.Name))];

    private static RouteRequest Of(ApiRoute route, string targetId)
    {
        var id = route.Name switch
        {
            ApiRoutes.AcknowledgeAlert => AlertId(targetId),
            ApiRoutes.PutTarget => targetId + "-new",
            ApiRoutes.DeleteTarget => targetId + "-gone",
            ApiRoutes.GetReportInput => InputId,
            _ => targetId,
        };
        var body = route.Name switch
        {
            ApiRoutes.PutTarget => """{"domain":"good.smtp.test","ports":[25]}""",
            ApiRoutes.PostReport => ApiKeyTable.ReportBody,
            _ => null,
        };
        return new RouteRequest(route, id, route.Path.Replace("{id}", id, StringComparison.Ordinal), body);
    }
}
