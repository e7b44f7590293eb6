namespace MailHealth.Storage.Availability;

/// <summary>
/// A time storage did not answer, as one process saw it: from the first failure to the first
/// answer after it (<see cref="Until"/> null while it lasts), why it started and how many calls failed.
/// </summary>
public sealed record StorageOutage(DateTimeOffset Since, DateTimeOffset? Until, string Reason, int Failures);
