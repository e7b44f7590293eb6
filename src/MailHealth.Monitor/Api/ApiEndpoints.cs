using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Microsoft.Extensions.DependencyInjection;

namespace MailHealth.Monitor.Api;

/// <summary>
/// Maps the API on an ASP.NET Core host (<c>serve</c>): every route of <see cref="ApiRoutes.All"/>
/// with its method, each answered by <see cref="ApiInvoker"/> (keys checked there, as in the
/// Functions app), and problem details for anything else under <c>/api</c> (an unknown path is a 404).
/// </summary>
public static class ApiEndpoints
{
    /// <summary>Maps every route; the settings (an admin key among them) were validated when the host started.</summary>
    public static IEndpointRouteBuilder MapMailHealthApi(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var invoker = endpoints.ServiceProvider.GetRequiredService<ApiInvoker>();
        foreach (var route in ApiRoutes.All)
        {
            endpoints.MapMethods(route.Path, [route.Method], context => InvokeAsync(context, route, invoker))
                .WithName(route.Name)
                .WithMetadata(route);
        }

        // Anything else under /api: a problem document, not the host's empty 404.
        endpoints.Map("/api/{**rest}", context => ApiProblem.NoRoute(context.Request.Method, context.Request.Path).ExecuteAsync(context));
        return endpoints;
    }

    private static async Task InvokeAsync(HttpContext context, ApiRoute route, ApiInvoker invoker)
    {
        var id = context.Request.RouteValues.TryGetValue("id", out var value) ? value as string ?? string.Empty : string.Empty;
        IResult result;
        try
        {
            result = await invoker.InvokeAsync(route.Name, context.Request, id, context.RequestAborted).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (context.RequestAborted.IsCancellationRequested)
        {
            return;
        }

        await result.ExecuteAsync(context).ConfigureAwait(false);
    }
}
