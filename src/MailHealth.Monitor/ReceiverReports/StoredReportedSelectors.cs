using MailHealth.Storage.ReceiverReports;

namespace MailHealth.Monitor.ReceiverReports;

/// <summary>The reported selectors in the monitor's own table (<see cref="ReportedSelectorStore"/>).</summary>
public sealed class StoredReportedSelectors(ReportedSelectorStore store) : IReportedSelectors
{
    public Task RecordAsync(string targetId, IReadOnlyCollection<string> selectors, DateTimeOffset at, CancellationToken cancellationToken) =>
        selectors.Count == 0 ? Task.CompletedTask : store.RecordAsync(targetId, selectors, at, cancellationToken);
}
