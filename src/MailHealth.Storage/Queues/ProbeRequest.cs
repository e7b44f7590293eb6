namespace MailHealth.Storage.Queues;

/// <summary>A probe queue message: run this target's checks for this schedule slot (the run id is derived from both).</summary>
public sealed record ProbeRequest(string TargetId, DateTimeOffset Slot);
