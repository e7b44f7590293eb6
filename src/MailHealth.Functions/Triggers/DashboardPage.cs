using MailHealth.Monitor.Api;
using MailHealth.Monitor.Dashboard;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;

namespace MailHealth.Functions.Triggers;

/// <summary>
/// The dashboard at <c>/</c> (and its files), anonymous as in <c>serve</c>: the files hold no data,
/// the page reads the keyed API. The catch-all route also receives what no API function matches
/// under <c>api/</c>: that is answered as the API answers an unknown path, with problem details.
/// </summary>
public sealed class DashboardPage
{
    public const string Name = "Dashboard";

    [Function(Name)]
    public Task<IResult> GetAsync([HttpTrigger(AuthorizationLevel.Anonymous, "get", Route = "{*path}")] HttpRequest request, string? path, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(request);
        return path is not null && (path == "api" || path.StartsWith("api/", StringComparison.Ordinal))
            ? Task.FromResult(ApiProblem.NoRoute(request.Method, "/" + path))
            : DashboardFiles.Default.GetAsync(path, request, cancellationToken);
    }
}
