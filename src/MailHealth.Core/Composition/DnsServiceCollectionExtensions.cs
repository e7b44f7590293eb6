using MailHealth.Dns;
using MailHealth.Network;
using MailHealth.Settings;
using MailHealth.Sharing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace MailHealth.Composition;

/// <summary>Registers the process's one DNS resolver, for the checks and for what asks DNS outside them (naming reports' senders).</summary>
public static class DnsServiceCollectionExtensions
{
    /// <summary>
    /// The singleton resolver with its settings bound from <c>MailHealth:Dns</c> and its bound on
    /// questions in flight from <c>MailHealth:Network:MaxDnsQueries</c>, both validated. Answers
    /// from authoritative servers are kept at most as long as the host's <see cref="SharingLimit"/>
    /// allows (none unless the host registered one first).
    /// </summary>
    public static IServiceCollection AddMailHealthDns(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddValidatedSettings<DnsSettings>(configuration, DnsSettings.Section, DnsSettings.Validate);
        services.AddValidatedSettings<NetworkSettings>(configuration, NetworkSettings.Section, NetworkSettings.Validate);
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton(SharingLimit.None);
        // Questions have a bound of their own: sharing the connections' would make a domain's DNS
        // work wait for probes to end (issue 17: a run's DNS work runs beside its SMTP probe).
        services.TryAddSingleton(sp => new DnsResolver(
            sp.GetRequiredService<IOptions<DnsSettings>>().Value.ToResolverOptions(sp.GetRequiredService<SharingLimit>()),
            new NetworkLimiter(sp.GetRequiredService<IOptions<NetworkSettings>>().Value.MaxDnsQueries),
            sp.GetRequiredService<TimeProvider>()));
        return services;
    }
}
