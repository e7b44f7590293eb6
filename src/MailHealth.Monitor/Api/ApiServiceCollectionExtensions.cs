using MailHealth.Monitor.Targets;
using MailHealth.Settings;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace MailHealth.Monitor.Api;

public static class ApiServiceCollectionExtensions
{
    /// <summary>
    /// The API's handlers, its keys and settings (<c>MailHealth:Api</c>) and the invoker both hosts
    /// call, on top of <see cref="MonitorServiceCollectionExtensions.AddMailHealthMonitor"/>. A host
    /// that trusts a platform's sign-in registers <see cref="PlatformSignIn"/> too.
    /// </summary>
    public static IServiceCollection AddMailHealthApi(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddValidatedSettings<ApiSettings>(configuration, ApiSettings.Section, ApiSettings.Validate);
        services.TryAddSingleton<OpenApiDocument>();
        services.TryAddSingleton<TargetRemoval>();
        services.TryAddSingleton<ApiReadCache>();
        services.TryAddSingleton<MailHealthApi>();
        services.TryAddSingleton<ApiKeys>();
        services.TryAddSingleton<ApiAuthorization>();
        services.TryAddSingleton<ApiInvoker>();
        return services;
    }
}
