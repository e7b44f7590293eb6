using MailHealth.Monitor;
using MailHealth.Monitor.Dashboard;
using MailHealth.Monitor.Notifications;
using MailHealth.Settings;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace Microsoft.Extensions.DependencyInjection;

public static class NotificationServiceCollectionExtensions
{
    /// <summary>
    /// Registers the notification channels bound from <c>MailHealth:Notifications</c> (validated at
    /// start-up: a bad setting stops the host with a message naming its path), the router, the
    /// sender, the tester, the retry policy (with <see cref="Random.Shared"/> unless a
    /// <see cref="Random"/> is registered), the HttpClient the webhooks use (no redirects, no
    /// request logging: the factory's logger would write the URL, which is a secret for Slack and
    /// Teams) and the links to the dashboard (<c>MailHealth:Monitor:PublicUrl</c>, validated with
    /// the rest of <c>MailHealth:Monitor</c>).
    /// </summary>
    public static IServiceCollection AddMailHealthNotifications(this IServiceCollection services, IConfiguration configuration)
    {
        var section = configuration.GetSection(NotificationOptions.SectionPath);
        services.AddOptions<NotificationOptions>()
            .Bind(section)
            .ValidateOnStart();
        services.AddSingleton<IValidateOptions<NotificationOptions>>(new NotificationOptionsValidator(section));
        services.TryAddSingleton(TimeProvider.System);
        services.AddValidatedSettings<MonitorSettings>(configuration, MonitorSettings.Section, MonitorSettings.Validate);
        services.TryAddSingleton(sp => new DashboardLinks(sp.GetRequiredService<IOptions<MonitorSettings>>()));
        services.AddHttpClient(HttpDelivery.ClientName)
            .ConfigurePrimaryHttpMessageHandler(() => new SocketsHttpHandler { AllowAutoRedirect = false, UseCookies = false })
            .RemoveAllLoggers();
        services.TryAddSingleton(sp => new NotificationChannels(
            sp.GetRequiredService<IOptions<NotificationOptions>>(),
            sp.GetRequiredService<IHttpClientFactory>(),
            sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton<NotificationRouter>();
        services.TryAddSingleton<NotificationSender>();
        services.TryAddSingleton<NotificationTester>();
        services.TryAddSingleton(sp => new RetryPolicy(
            sp.GetRequiredService<IOptions<NotificationOptions>>(),
            sp.GetService<Random>() ?? Random.Shared));
        return services;
    }
}
