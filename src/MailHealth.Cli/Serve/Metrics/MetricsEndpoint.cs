using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Http;
using Microsoft.AspNetCore.Routing;
using Prometheus;

namespace MailHealth.Cli.Serve.Metrics;

/// <summary><c>/metrics</c>: prometheus-net's registry (this process's counters, the storage read's gauges), then the fleet's series.</summary>
internal static class MetricsEndpoint
{
    private const string TextFormat = "text/plain; version=0.0.4; charset=utf-8";

    public static IEndpointConventionBuilder MapMetricsEndpoint(this IEndpointRouteBuilder endpoints, string pattern) =>
        endpoints.MapGet(pattern, async (HttpContext context, CollectorRegistry registry, FleetMetrics fleet) =>
        {
            var cancellationToken = context.RequestAborted;
            await fleet.RefreshAsync(cancellationToken).ConfigureAwait(false);
            context.Response.ContentType = TextFormat;
            // Always the text format 0.0.4, whatever the scraper's Accept header asks: in OpenMetrics
            // the registry's part would end with "# EOF", and the fleet's series after it would be lost.
            await registry.CollectAndExportAsTextAsync(context.Response.Body, ExpositionFormat.PrometheusText, cancellationToken).ConfigureAwait(false);
            await fleet.WriteAsync(context.Response.Body, cancellationToken).ConfigureAwait(false);
        });
}
