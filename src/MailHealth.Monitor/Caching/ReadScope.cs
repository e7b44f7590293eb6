namespace MailHealth.Monitor.Caching;

/// <summary>
/// What a copy of stored data depends on, so that a write can tell whether it is stale
/// (<see cref="WriteClock.WrittenSince"/>): the targets it shows, whether it lists targets (so an
/// added or removed one changes it), or whether any target's write may change it (a list across
/// the fleet, such as the open alerts), or whether it shows the monitor's own state (the schedule's
/// tick, the queues, the outages recorded), or the receivers' reports that arrived (for any domain).
/// </summary>
public sealed record ReadScope(IReadOnlyList<string> Targets, bool Membership = false, bool AnyTarget = false, bool MonitorState = false, bool ReceivedReports = false)
{
    /// <summary>Depends on every report input processed, whether a target monitors its domain or not.</summary>
    public static ReadScope Reports { get; } = new([], ReceivedReports: true);

    /// <summary>Depends on the monitor's own state: the schedule's tick, a probe queued, outages recorded.</summary>
    public static ReadScope Monitor { get; } = new([], MonitorState: true);

    /// <summary>Depends on any write to any target.</summary>
    public static ReadScope Fleet { get; } = new([], AnyTarget: true);

    /// <summary>Depends on which targets exist, not on what they hold (a page of target ids).</summary>
    public static ReadScope TargetIds { get; } = new([], Membership: true);

    /// <summary>Depends on one target's writes.</summary>
    public static ReadScope Target(string targetId) => new([targetId]);

    /// <summary>A page of targets: on theirs, and on which targets exist.</summary>
    public static ReadScope Page(IReadOnlyList<string> targetIds) => new(targetIds, Membership: true);

    /// <summary>About what the scope costs to keep, in bytes (its target ids).</summary>
    public long Bytes => Targets.Sum(t => 32L + (2L * t.Length));
}
