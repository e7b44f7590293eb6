using MailHealth.Changes;

namespace MailHealth.Storage.Changes;

/// <summary>A run's fingerprint as stored, and which run it came from.</summary>
public sealed record StoredFingerprint(string RunId, DateTimeOffset Slot, RunFingerprint Fingerprint);
