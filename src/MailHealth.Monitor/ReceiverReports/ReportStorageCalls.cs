using MailHealth.Storage.Availability;
using Microsoft.Extensions.Options;

namespace MailHealth.Monitor.ReceiverReports;

/// <summary>
/// Report ingestion's storage calls, each waiting for storage at most
/// <see cref="MonitorSettings.StorageDeadline"/>: past it the call fails as a storage outage
/// (<see cref="StorageUnavailableException"/>) and the input is processed again later. Each call,
/// not the whole input: a report of a million rows takes many calls, each short.
/// </summary>
public sealed class ReportStorageCalls(StorageDeadline deadline, IOptions<MonitorSettings> monitor)
{
    public Task<T> RunAsync<T>(Func<CancellationToken, Task<T>> work, CancellationToken cancellationToken) =>
        deadline.RunAsync(monitor.Value.StorageDeadline, work, cancellationToken);

    public Task RunAsync(Func<CancellationToken, Task> work, CancellationToken cancellationToken) =>
        deadline.RunAsync(monitor.Value.StorageDeadline, work, cancellationToken);
}
