using MailHealth.Monitor.Targets;
using MailHealth.Settings;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace MailHealth.Monitor.Api;

public static class ApiServiceCollectionExtensions
{
    /// <summary>The API's handlers and settings (<c>MailHealth:Api</c>), on top of <see cref="MonitorServiceCollectionExtensions.AddMailHealthMonitor"/>.</summary>
    public static IServiceCollection AddMailHealthApi(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddValidatedSettings<ApiSettings>(configuration, ApiSettings.Section, ApiSettings.Validate);
        services.TryAddSingleton<OpenApiDocument>();
        services.TryAddSingleton<TargetRemoval>();
        services.TryAddSingleton<MailHealthApi>();
        return services;
    }
}
