namespace MailHealth.Storage.Heartbeats;

/// <summary>The last tick of the schedule, whichever host ran it: when, for which slot, how many probes it queued.</summary>
public sealed record ScheduleHeartbeat(DateTimeOffset At, DateTimeOffset Slot, int Queued);
