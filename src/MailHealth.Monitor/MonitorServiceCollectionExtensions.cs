using MailHealth.Composition;
using MailHealth.Egress;
using MailHealth.Monitor.Alerts;
using MailHealth.Monitor.Availability;
using MailHealth.Monitor.Caching;
using MailHealth.Monitor.Delivery;
using MailHealth.Monitor.Dkim;
using MailHealth.Monitor.Metrics;
using MailHealth.Monitor.Notifications;
using MailHealth.Monitor.Queues;
using MailHealth.Monitor.ReceiverReports;
using MailHealth.Monitor.Retention;
using MailHealth.Monitor.Runs;
using MailHealth.Monitor.Scheduling;
using MailHealth.ReceiverFindings;
using MailHealth.Settings;
using MailHealth.Sharing;
using MailHealth.Storage;
using MailHealth.Storage.Configuration;
using MailHealth.Storage.Egress;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Options;

namespace MailHealth.Monitor;

/// <summary>The whole monitor for a host: checks, storage, notifications, report ingestion and the services on them.</summary>
public static class MonitorServiceCollectionExtensions
{
    public static IServiceCollection AddMailHealthMonitor(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        // Registered before the checks' own: what the targets of one cycle share and no resolver
        // keeps for them (a probe of their provider's host, an authoritative server's answer) is
        // never kept past half the schedule's interval, so the next cycle probes and reads the zone
        // afresh whatever MailHealth:Checks:ShareProbesFor and MailHealth:Dns:MaximumCacheAge say.
        // A caching resolver's answers live for their TTL (MaximumCacheAge bounds them).
        services.TryAddSingleton(sp => new SharingLimit(sp.GetRequiredService<IOptions<MonitorSettings>>().Value.Interval / 2));
        services.AddMailHealthChecks(configuration);
        services.AddMailHealthStorage(configuration);
        services.AddMailHealthNotifications(configuration);
        services.AddValidatedSettings<MonitorSettings>(configuration, MonitorSettings.Section, MonitorSettings.Validate);
        services.AddValidatedSettings<AlertSettings>(configuration, AlertSettings.Section, AlertSettings.Validate);
        services.AddMailHealthReportIngestion(configuration);
        services.AddMailHealthSenderNaming(configuration);
        services.AddValidatedSettings<ReceiverFindingSettings>(configuration, ReceiverFindingSettings.Section, ReceiverFindingSettings.Validate);
        services.TryAddSingleton<ReceiverFindingsCheck>();

        services.TryAddSingleton(sp => new EgressSignalStore(
            sp.GetRequiredService<StorageAccount>(),
            sp.GetRequiredService<TimeProvider>(),
            sp.GetRequiredService<IOptions<MonitorSettings>>().Value.EgressWindow));
        services.TryAddSingleton<IEgressSignalWindow>(sp => sp.GetRequiredService<EgressSignalStore>());
        services.TryAddSingleton<MonitorInstruments>();
        services.TryAddSingleton<WriteClock>();
        services.TryAddSingleton<FleetSnapshotReader>();
        services.TryAddSingleton<TargetRunService>();
        services.TryAddSingleton<NotificationDispatcher>();
        services.TryAddSingleton<ProbeScheduler>();
        services.TryAddSingleton<QueueWorker>();
        services.TryAddSingleton<AlertAcknowledger>();
        services.TryAddSingleton<RetentionService>();
        services.TryAddSingleton<OutageRecorder>();
        services.TryAddSingleton<StorageStartup>();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IHostedService, OutageRecorderService>());
        services.TryAddSingleton<DkimSweepService>();
        return services;
    }
}
