using MailHealth.Monitor.Caching;
using MailHealth.Monitor.ReceiverReports.Mailbox;
using MailHealth.ReceiverReports;
using MailHealth.Settings;
using MailHealth.Storage;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;

namespace MailHealth.Monitor.ReceiverReports;

public static class ReportIngestionServiceCollectionExtensions
{
    /// <summary>
    /// Report ingestion on storage: its settings (<c>MailHealth:Reports</c>, the parser's caps;
    /// <c>MailHealth:Ingestion</c>; <c>MailHealth:Monitor</c> for the storage deadline), validated at
    /// start-up, and its services, without naming the reports' sources
    /// (<see cref="SenderNamingServiceCollectionExtensions.AddMailHealthSenderNaming"/> adds it).
    /// <see cref="MonitorServiceCollectionExtensions.AddMailHealthMonitor"/> includes both;
    /// <c>mailhealth reports import --no-naming</c> composes only this.
    /// </summary>
    public static IServiceCollection AddMailHealthReportIngestion(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddMailHealthStorage(configuration);
        services.AddValidatedSettings<MonitorSettings>(configuration, MonitorSettings.Section, MonitorSettings.Validate);
        services.AddValidatedSettings<ReceiverReportSettings>(configuration, ReceiverReportSettings.Section, ReceiverReportSettings.Validate);
        services.AddValidatedSettings<ReportIngestionSettings>(configuration, ReportIngestionSettings.Section, ReportIngestionSettings.Validate);
        services.TryAddSingleton<WriteClock>();
        services.TryAddSingleton<ReportStorageCalls>();
        services.TryAddSingleton<IReportedSelectors, RememberedDkimSelectors>();
        services.TryAddSingleton<DomainTargets>();
        services.TryAddSingleton<ReportProcessor>();
        services.TryAddSingleton<ReportIngestion>();
        services.TryAddSingleton<ReceiverTotalsReader>();
        services.AddMailHealthMailbox(configuration);
        return services;
    }
}
