using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;

namespace MailHealth.Monitor.Dashboard;

/// <summary>Maps the dashboard on an ASP.NET Core host (<c>serve</c>): <c>/</c> and each of its files, by literal path.</summary>
public static class DashboardEndpoints
{
    /// <summary>
    /// Maps <c>GET /</c> (the page) and <c>GET /{file}</c> for every file of
    /// <see cref="DashboardFiles.Default"/>. Anonymous: the files hold no data; the page reads the
    /// keyed API under <c>/api</c>, which <c>MapMailHealthApi</c> maps.
    /// </summary>
    public static IEndpointRouteBuilder MapMailHealthDashboard(this IEndpointRouteBuilder endpoints)
    {
        ArgumentNullException.ThrowIfNull(endpoints);
        var files = DashboardFiles.Default;
        endpoints.MapGet("/", (HttpRequest request, CancellationToken ct) => files.GetAsync(string.Empty, request, ct))
            .WithName("Dashboard");
        foreach (var path in files.Paths)
        {
            endpoints.MapGet("/" + path, (HttpRequest request, CancellationToken ct) => files.GetAsync(path, request, ct))
                .WithName("Dashboard " + path);
        }

        return endpoints;
    }
}
