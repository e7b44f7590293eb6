using MailHealth.Bimi;
using MailHealth.Blocklists;
using MailHealth.Checks;
using MailHealth.Dane;
using MailHealth.Dkim;
using MailHealth.Dmarc;
using MailHealth.Dnssec;
using MailHealth.Fleet;
using MailHealth.MtaSts;
using MailHealth.Mx;
using MailHealth.Network;
using MailHealth.ReverseDns;
using MailHealth.Settings;
using MailHealth.Sharing;
using MailHealth.Smtp;
using MailHealth.Spf;
using MailHealth.TlsRpt;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MailHealth.Composition;

/// <summary>Registers the checker for a host: the checks, the shared resolver and network bound, the fleet runner.</summary>
public static class CheckServiceCollectionExtensions
{
    /// <summary>
    /// The checks in report order, the singleton resolver (<see cref="DnsServiceCollectionExtensions.AddMailHealthDns"/>), the process-wide network bound, the
    /// domain checker and the fleet runner, with their settings bound from <c>MailHealth:Checks</c>,
    /// <c>MailHealth:Dns</c>, <c>MailHealth:Network</c> and <c>MailHealth:Fleet</c> and validated
    /// (an unknown setting name is an error too, so a typo does not pass for a default).
    /// </summary>
    public static IServiceCollection AddMailHealthChecks(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(services);
        ArgumentNullException.ThrowIfNull(configuration);

        services.AddValidatedSettings<CheckOptions>(configuration, CheckOptions.Section, CheckOptions.Validate);
        services.PostConfigure<CheckOptions>(options =>
        {
            // A problem here is reported by validation, which reads the same file.
            if (options.TrustRootsFile is { } file)
            {
                _ = CheckOptions.LoadRootsProblem(file, options.ExtraTrustRoots);
            }
        });
        services.AddMailHealthDns(configuration);
        services.AddValidatedSettings<FleetSettings>(configuration, FleetSettings.Section, FleetSettings.Validate);

        // Logging without providers logs nothing, and a host that adds its providers before or after
        // this call gets them: registering NullLogger<> here instead would win over the host's logging.
        services.AddLogging();
        services.TryAddSingleton(sp => new NetworkLimiter(sp.GetRequiredService<IOptions<NetworkSettings>>().Value.MaxConcurrency));
        services.AddAddressPolicy();
        services.TryAddSingleton(CheckServices.Default);
        services.TryAddSingleton(sp => new SharedProbes(
            sp.GetRequiredService<SharingLimit>().Apply(sp.GetRequiredService<IOptions<CheckOptions>>().Value.ShareProbesFor),
            sp.GetRequiredService<TimeProvider>()));

        // Report order: what a reader wants first.
        services.AddSingleton<ICheck, MxCheck>();
        services.AddSingleton<ICheck, SmtpCheck>();
        services.AddSingleton<ICheck, SpfCheck>();
        services.AddSingleton<ICheck, DkimCheck>();
        services.AddSingleton<ICheck, DmarcCheck>();
        services.AddSingleton<ICheck, MtaStsCheck>();
        services.AddSingleton<ICheck, TlsRptCheck>();
        services.AddSingleton<ICheck, DnssecCheck>();
        services.AddSingleton<ICheck, DaneCheck>();
        services.AddSingleton<ICheck, BimiCheck>();
        services.AddSingleton<ICheck, ReverseDnsCheck>();
        services.AddSingleton<ICheck>(_ => new BlocklistCheck(BlocklistCatalog.Default));

        services.TryAddSingleton<DomainChecker>();
        services.TryAddSingleton<FleetRunner>();
        return services;
    }

    /// <summary>
    /// The address policy every connection passes (<see cref="CheckOptions.AddressPolicy"/>, from
    /// <c>MailHealth:Checks:AllowedNetworks</c>), for the connections made outside the checks:
    /// webhooks, e-mail and whatever comes later.
    /// </summary>
    public static IServiceCollection AddAddressPolicy(this IServiceCollection services)
    {
        services.TryAddSingleton(sp => sp.GetRequiredService<IOptions<CheckOptions>>().Value.AddressPolicy);
        return services;
    }
}
