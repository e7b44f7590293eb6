using MailHealth.Storage.Alerts;
using MailHealth.Storage.Availability;
using MailHealth.Storage.Changes;
using MailHealth.Storage.Configuration;
using MailHealth.Storage.Dkim;
using MailHealth.Storage.Heartbeats;
using MailHealth.Storage.Latest;
using MailHealth.Storage.Notifications;
using MailHealth.Storage.Queues;
using MailHealth.Storage.ReceiverReports;
using MailHealth.Storage.Retention;
using MailHealth.Storage.Runs;
using MailHealth.Storage.Targets;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.DependencyInjection.Extensions;
using Microsoft.Extensions.Options;

namespace MailHealth.Storage;

public static class StorageServiceCollectionExtensions
{
    /// <summary>
    /// Registers the stores, queues, purge, <see cref="StorageInitializer"/>, and what tells of
    /// storage outages (<see cref="StorageAvailability"/>, <see cref="StorageDeadline"/>) as singletons,
    /// with <see cref="StorageOptions"/> bound from <c>MailHealth:Storage</c> and validated at
    /// start-up (a host that starts validates them before serving; others on first use).
    /// </summary>
    public static IServiceCollection AddMailHealthStorage(this IServiceCollection services, IConfiguration configuration)
    {
        ArgumentNullException.ThrowIfNull(configuration);
        services.AddOptions<StorageOptions>()
            .Bind(configuration.GetSection(StorageOptions.SectionPath))
            .ValidateOnStart();
        services.TryAddEnumerable(ServiceDescriptor.Singleton<IValidateOptions<StorageOptions>, StorageOptionsValidator>());
        services.TryAddSingleton(TimeProvider.System);
        services.TryAddSingleton<StorageAvailability>();
        services.TryAddSingleton<StorageDeadline>();
        services.TryAddSingleton<StorageAccount>();
        services.TryAddSingleton<StorageInitializer>();
        services.TryAddSingleton<TargetStore>();
        services.TryAddSingleton<RunStore>();
        services.TryAddSingleton<LatestStatusStore>();
        services.TryAddSingleton<AlertStore>();
        services.TryAddSingleton<ChangeEventStore>();
        services.TryAddSingleton<FingerprintStore>();
        services.TryAddSingleton<OutboxStore>();
        services.TryAddSingleton<ProbeQueue>();
        services.TryAddSingleton<NotificationQueue>();
        services.TryAddSingleton<HistoryPurge>();
        services.TryAddSingleton<HeartbeatStore>();
        services.TryAddSingleton<OutageStore>();
        services.TryAddSingleton<DkimSelectorStore>();
        services.TryAddSingleton<ReportQueue>();
        services.TryAddSingleton<ReportBlobStore>();
        services.TryAddSingleton<ReportInputLog>();
        services.TryAddSingleton<ReportLedger>();
        services.TryAddSingleton<DmarcSourceStore>();
        services.TryAddSingleton<DmarcSenderStore>();
        services.TryAddSingleton<TlsResultStore>();
        services.TryAddSingleton<ReportDomainIndex>();
        services.TryAddSingleton<ReportPurge>();
        return services;
    }
}
