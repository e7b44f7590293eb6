using Azure.Core;
using Azure.Identity;
using MailHealth.Composition;
using MailHealth.Settings;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace MailHealth.Monitor.ReceiverReports.Mailbox;

public static class MailboxServiceCollectionExtensions
{
    /// <summary>
    /// The mailbox door: its settings (<c>MailHealth:Mailbox</c>), validated at start-up, the poller
    /// and its connector, and the token credential of Auth=OAuth2 (an Entra app registration's
    /// client secret), keyed <see cref="MailboxSettings.Section"/> so that a test can hand its own.
    /// Connections go through the <see cref="MailHealth.Network.AddressPolicy"/> of <c>MailHealth:Checks</c>.
    /// </summary>
    public static IServiceCollection AddMailHealthMailbox(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddValidatedSettings<MailboxSettings>(configuration, MailboxSettings.Section, MailboxSettings.Validate);
        services.AddAddressPolicy();
        services.TryAddKeyedSingleton<TokenCredential>(MailboxSettings.Section, (sp, _) =>
        {
            var settings = sp.GetRequiredService<IOptions<MailboxSettings>>().Value;
            return new ClientSecretCredential(settings.TenantId, settings.ClientId, settings.ClientSecret);
        });
        services.TryAddSingleton(sp => new MailboxConnector(
            sp.GetRequiredService<IOptions<MailboxSettings>>(),
            sp.GetRequiredService<MailHealth.Network.AddressPolicy>(),
            sp.GetRequiredService<IOptions<MailboxSettings>>().Value.Auth == MailboxAuth.OAuth2 ? sp.GetRequiredKeyedService<TokenCredential>(MailboxSettings.Section) : null));
        services.TryAddSingleton<MailboxPoller>();
        return services;
    }
}
