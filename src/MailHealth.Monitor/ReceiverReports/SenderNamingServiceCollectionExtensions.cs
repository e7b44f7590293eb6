using MailHealth.Composition;
using MailHealth.Dns;
using MailHealth.Senders;
using MailHealth.Settings;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace MailHealth.Monitor.ReceiverReports;

public static class SenderNamingServiceCollectionExtensions
{
    /// <summary>
    /// Naming the sources of stored aggregate reports (docs/reports.md, "Naming the senders"):
    /// report ingestion (<see cref="ReportIngestionServiceCollectionExtensions.AddMailHealthReportIngestion"/>),
    /// whose <see cref="ReportProcessor"/> then names each report's sources right after its commit;
    /// the resolver of <c>MailHealth:Dns</c>; the namer with its settings (<c>MailHealth:SenderNaming</c>),
    /// validated at start-up. <see cref="MonitorServiceCollectionExtensions.AddMailHealthMonitor"/>
    /// includes it; <c>mailhealth reports import</c> and <c>reports poll</c> compose it unless told
    /// <c>--no-naming</c>.
    /// </summary>
    public static IServiceCollection AddMailHealthSenderNaming(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddMailHealthReportIngestion(configuration);
        services.AddMailHealthDns(configuration);
        services.AddValidatedSettings<SenderNamingSettings>(configuration, SenderNamingSettings.Section, SenderNamingSettings.Validate);
        // One namer per process: its lookups and remembered names are shared by every report and run.
        services.TryAddSingleton(sp => new SenderNamer(
            sp.GetRequiredService<DnsResolver>(), sp.GetRequiredService<IOptions<SenderNamingSettings>>().Value, sp.GetRequiredService<TimeProvider>()));
        services.TryAddSingleton<DmarcSenderNaming>();
        return services;
    }
}
