using MailHealth.Composition;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MailHealth.Monitor.Api;

/// <summary>
/// Maps the API on an ASP.NET Core host (<c>serve</c>): every route of <see cref="ApiRoutes.All"/>
/// with its method, the keys of <c>MailHealth:Api</c> checked as the Functions host would, and
/// problem details for anything else under <c>/api</c> (an unknown path is a 404, a failure a 500
/// without internals).
/// </summary>
public static class ApiEndpoints
{
    private delegate Task<IResult> Handler(MailHealthApi api, HttpRequest request, string id, CancellationToken cancellationToken);

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
    };

    /// <summary>Maps every route; throws <see cref="OptionsValidationException"/> naming the setting when no admin key is configured.</summary>
    public static IEndpointRouteBuilder MapMailHealthApi(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var settings = endpoints.ServiceProvider.GetRequiredService<IOptions<ApiSettings>>().Value;
        if (ApiSettings.KeyProblems(settings) is { Count: > 0 } problems)
        {
            throw new OptionsValidationException(ApiSettings.Section, typeof(ApiSettings), problems);
        }

        var keys = new ApiKeys(settings);
        foreach (var route in ApiRoutes.All)
        {
            var handler = Handlers[route.Name];
            endpoints.MapMethods(route.Path, [route.Method], context => InvokeAsync(context, route, handler, keys))
                .WithName(route.Name)
                .WithMetadata(route);
        }

        // Anything else under /api: a problem document, not the host's empty 404.
        endpoints.Map("/api/{**rest}", context => Execute(context, ApiProblem.NoRoute(context.Request.Method, context.Request.Path)));
        return endpoints;
    }

    private static async Task InvokeAsync(HttpContext context, ApiRoute route, Handler handler, ApiKeys keys)
    {
        if (keys.Check(context.Request, route.Access) is { } denied)
        {
            await Execute(context, denied).ConfigureAwait(false);
            return;
        }

        var api = context.RequestServices.GetRequiredService<MailHealthApi>();
        var id = context.Request.RouteValues.TryGetValue("id", out var value) ? value as string ?? string.Empty : string.Empty;
        IResult result;
        try
        {
            result = await handler(api, context.Request, id, context.RequestAborted).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            return;
        }
        catch (Exception e)
        {
            ApiLog.Failed(context.RequestServices.GetRequiredService<ILogger<MailHealthApi>>(), route.Name, e);
            result = ApiProblem.Internal();
        }

        await Execute(context, result).ConfigureAwait(false);
    }

    private static Task Execute(HttpContext context, IResult result) => result.ExecuteAsync(context);
}
