namespace MailHealth.Storage.Heartbeats;

/// <summary>A schedule slot whose tick storage failed: none of its probes, or not all of them, were queued.</summary>
public sealed record LostSlot(DateTimeOffset Slot, DateTimeOffset LostAt, string Reason);
