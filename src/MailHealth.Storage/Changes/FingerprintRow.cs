using MailHealth.Runs;

namespace MailHealth.Storage.Changes;

/// <summary>
/// A target's fingerprint row as read (<see cref="FingerprintStore.ReadAsync"/>): the newest
/// run's fingerprint, the one before it, and the row's ETag (null when there is no row yet).
/// </summary>
public sealed record FingerprintRow(StoredFingerprint? Current, StoredFingerprint? Previous, string? ETag)
{
    /// <summary>
    /// The fingerprint of the newest run before <paramref name="runId"/>, even when this run is a
    /// retry that already saved its own; null when there is none.
    /// </summary>
    public StoredFingerprint? Before(RunId runId) =>
        Current is not null && Current.Slot < runId.Slot ? Current
        : Previous is not null && Previous.Slot < runId.Slot ? Previous
        : null;
}
