using MailHealth.Storage.Dkim;

namespace MailHealth.Monitor.ReceiverReports;

/// <summary>
/// Reported selectors go where the DKIM check finds its remembered ones (<see cref="DkimSelectorStore"/>):
/// a selector a receiver saw verify is checked in earnest from the target's next run on, whether
/// the discovery sweep ever guessed it or not.
/// </summary>
public sealed class RememberedDkimSelectors(DkimSelectorStore store) : IReportedSelectors
{
    public Task RecordAsync(string targetId, IReadOnlyCollection<string> selectors, DateTimeOffset at, CancellationToken cancellationToken) =>
        selectors.Count == 0 ? Task.CompletedTask : store.RecordReportedAsync(targetId, selectors, at, cancellationToken);
}
