using MailHealth.Alerts;
using MailHealth.Monitor.Caching;
using MailHealth.Storage.Alerts;
using MailHealth.Storage.Tables;

namespace MailHealth.Monitor.Alerts;

/// <summary>
/// Acknowledges an open alert for both hosts (<c>POST /api/alerts/{id}/ack</c>): the state
/// machine decides, the store writes the alert and its Acknowledged transition under the alert's
/// ETag, and a race with a run is settled by reading again.
/// </summary>
public sealed class AlertAcknowledger(AlertStore alerts, WriteClock writes, TimeProvider time)
{
    private const int Attempts = 5;

    /// <summary>The outcome; null when no alert has this id.</summary>
    public async Task<AlertAcknowledgement?> AcknowledgeAsync(string alertId, string by, CancellationToken cancellationToken)
    {
        for (var attempt = 1; ; attempt++)
        {
            var stored = await alerts.FindAsync(alertId, cancellationToken).ConfigureAwait(false);
            if (stored is null)
            {
                return null;
            }

            var acknowledgement = AlertEvaluator.Acknowledge(stored.Alert, by, time.GetUtcNow());
            if (acknowledgement.Transition is not { } transition)
            {
                return acknowledgement;
            }

            try
            {
                await alerts.SaveAsync(stored.Alert.Key.TargetId, [new AlertWrite(acknowledgement.Alert, stored)], [transition], cancellationToken).ConfigureAwait(false);
                return acknowledgement;
            }
            catch (StorageConcurrencyException) when (attempt < Attempts)
            {
                // A run changed the alert meanwhile: decide again on what it wrote.
            }
            finally
            {
                writes.Wrote(stored.Alert.Key.TargetId);
            }
        }
    }
}
