using MailHealth.Alerts;

namespace MailHealth.Storage.Alerts;

/// <summary>
/// The new state of one alert and the state it was computed from: <paramref name="Previous"/> is
/// what <see cref="AlertStore.GetOfTargetAsync"/> returned (its ETag makes the write conditional),
/// null for an alert seen for the first time (the write then fails if someone created it meanwhile).
/// </summary>
public sealed record AlertWrite(Alert Alert, StoredAlert? Previous);
