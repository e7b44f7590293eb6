using MailHealth.Monitor.Caching;
using MailHealth.Storage.Alerts;
using MailHealth.Storage.Dkim;
using MailHealth.Storage.Latest;
using MailHealth.Storage.Runs;
using MailHealth.Storage.Targets;

namespace MailHealth.Monitor.Targets;

/// <summary>
/// Deletes a target and what belongs only to it: its latest status, history, remembered DKIM selectors and alerts (open ones
/// would otherwise stay open forever, and a target added again under the same id would inherit
/// them). Change events and delivered notifications age out with retention.
/// </summary>
public sealed class TargetRemoval(TargetStore targets, LatestStatusStore latest, RunStore runs, AlertStore alerts, DkimSelectorStore dkimSelectors, WriteClock writes)
{
    /// <summary>False when no target had this id.</summary>
    public async Task<bool> RemoveAsync(string targetId, CancellationToken cancellationToken)
    {
        try
        {
            return await DeleteAsync(targetId, cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            // Removed, or partly (a retried delete finishes it): this process's copies go either way.
            writes.AddedOrRemoved(targetId);
        }
    }

    private async Task<bool> DeleteAsync(string targetId, CancellationToken cancellationToken)
    {
        // The target first: the scheduler stops queueing it. When it is already gone, what a
        // delete that failed half-way left behind (the latest status goes last) is still cleaned up.
        var existed = await targets.DeleteAsync(targetId, cancellationToken).ConfigureAwait(false);
        if (!existed && await latest.GetAsync(targetId, cancellationToken).ConfigureAwait(false) is null)
        {
            return false;
        }

        await alerts.DeleteOfTargetAsync(targetId, cancellationToken).ConfigureAwait(false);
        await runs.DeleteHistoryAsync(targetId, cancellationToken).ConfigureAwait(false);
        await dkimSelectors.DeleteOfTargetAsync(targetId, cancellationToken).ConfigureAwait(false);
        // Last: while it is there, a retried delete knows there is more to clean.
        await latest.DeleteAsync(targetId, cancellationToken).ConfigureAwait(false);
        return existed;
    }
}
