namespace MailHealth.Storage.Alerts;

/// <summary>
/// A target's stored alerts and the newest run they took into account (the evaluation marker),
/// read together so that a repeated run is recognised and never counted twice.
/// </summary>
/// <param name="Alerts">Every alert state of the target, with ETags.</param>
/// <param name="EvaluatedSlot">The schedule slot of the newest run the alerts include; null before the first.</param>
/// <param name="MarkerETag">The marker's ETag; null when there is none yet.</param>
public sealed record TargetAlertState(IReadOnlyList<StoredAlert> Alerts, DateTimeOffset? EvaluatedSlot, string? MarkerETag);
