using MailHealth.Checks;
using MailHealth.Composition;
using MailHealth.Monitor;
using MailHealth.Monitor.Dashboard;
using MailHealth.Monitor.Notifications;
using MailHealth.Network;
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
    /// <see cref="Random"/> is registered), the HttpClient the webhooks use (no redirects, no proxy,
    /// no request logging: the factory's logger would write the URL, which is a secret for Slack and
    /// Teams) and the links to the dashboard (<c>MailHealth:Monitor:PublicUrl</c>, validated with
    /// the rest of <c>MailHealth:Monitor</c>). Webhooks and e-mail connect through the address policy
    /// of <c>MailHealth:Checks:AllowedNetworks</c>, the checks' own (public addresses only when unset).
    /// </summary>
    public static IServiceCollection AddMailHealthNotifications(this IServiceCollection services, IConfiguration configuration)
    {
        var section = configuration.GetSection(NotificationOptions.SectionPath);
        services.AddOptions<NotificationOptions>()
            .Bind(section)
            .ValidateOnStart();
        // The policy is the checks' (MailHealth:Checks:AllowedNetworks): bound here too, so a host
        // that composes the notifications alone (`mailhealth notify test`) honours the same setting.
        services.AddValidatedSettings<CheckOptions>(configuration, CheckOptions.Section, CheckOptions.Validate);
        services.AddAddressPolicy();
        services.AddSingleton<IValidateOptions<NotificationOptions>>(sp => new NotificationOptionsValidator(section, sp.GetRequiredService<AddressPolicy>()));
        services.TryAddSingleton(TimeProvider.System);
        services.AddValidatedSettings<MonitorSettings>(configuration, MonitorSettings.Section, MonitorSettings.Validate);
        services.TryAddSingleton(sp => new DashboardLinks(sp.GetRequiredService<IOptions<MonitorSettings>>()));
        services.AddHttpClient(HttpDelivery.ClientName)
            .ConfigurePrimaryHttpMessageHandler(sp => WebhookConnector.Handler(sp.GetRequiredService<AddressPolicy>()))
            .RemoveAllLoggers();
        services.TryAddSingleton(sp => new NotificationChannels(
            sp.GetRequiredService<IOptions<NotificationOptions>>(),
            sp.GetRequiredService<IHttpClientFactory>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<AddressPolicy>()));
        services.TryAddSingleton<NotificationRouter>();
        services.TryAddSingleton<NotificationSender>();
        services.TryAddSingleton<NotificationTester>();
        services.TryAddSingleton(sp => new RetryPolicy(
            sp.GetRequiredService<IOptions<NotificationOptions>>(),
            sp.GetService<Random>() ?? Random.Shared));
        return services;
    }
}
