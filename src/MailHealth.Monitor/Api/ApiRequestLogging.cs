using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace MailHealth.Monitor.Api;

/// <summary>
/// Keeps request URLs, and so a key given as <c>?code=</c>, out of both hosts' logs: ASP.NET Core's
/// hosting diagnostics write each request's whole URL at Information ("Request starting ... GET
/// http://host/api/targets?code=..."), Kestrel's bad-request lines the request line at Debug. These
/// categories are held at Warning after the configuration's own rules, so a configured
/// <c>Logging:LogLevel:Microsoft.AspNetCore=Information</c> does not bring the URLs back.
/// </summary>
public static class ApiRequestLogging
{
    /// <summary>The categories whose lines below Warning carry a request's URL or request line.</summary>
    public static IReadOnlyList<string> UrlCategories { get; } =
    [
        "Microsoft.AspNetCore.Hosting.Diagnostics",
        "Microsoft.AspNetCore.Server.Kestrel.BadRequests",
    ];

    public static ILoggingBuilder KeepKeysOutOfLogs(this ILoggingBuilder logging)
    {
        ArgumentNullException.ThrowIfNull(logging);
        var services = logging.Services;

        // Post-configured: added after the rules read from configuration, so for the same category
        // these win (the last of equally specific rules applies). A provider with a rule of its own
        // (Logging:Console:LogLevel:...) reads only its own rules: each registered provider gets one.
        services.PostConfigure<LoggerFilterOptions>(options =>
        {
            var providers = services
                .Where(d => d.ServiceType == typeof(ILoggerProvider))
                .Select(d => (d.IsKeyedService ? null : d.ImplementationType ?? d.ImplementationInstance?.GetType())?.FullName)
                .Prepend(null)
                .Distinct();
            foreach (var provider in providers)
            {
                foreach (var category in UrlCategories)
                {
                    options.Rules.Add(new LoggerFilterRule(provider, category, LogLevel.Warning, filter: null));
                }
            }
        });
        return logging;
    }
}
