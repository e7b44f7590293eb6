namespace MailHealth.Memory;

/// <summary>
/// What the monitor remembers about a target between runs and hands to each run (which reads it,
/// never writes it): the DKIM selectors it knows beside the configured ones, and the last selector
/// sweep. A one-off check (<c>mailhealth check</c>) has none and finds what it needs inline.
/// </summary>
public sealed record TargetMemory
{
    /// <summary>Nothing remembered yet (no sweep, no report).</summary>
    public static TargetMemory Empty { get; } = new();

    /// <summary>Selectors found by the discovery sweep or named by receivers' reports, each with when.</summary>
    public IReadOnlyList<RememberedSelector> DkimSelectors { get; init; } = [];

    /// <summary>The last selector sweep of the target's domain; null: never swept.</summary>
    public DkimSweepRecord? LastDkimSweep { get; init; }

    /// <summary>The selectors a run checks besides the configured ones: those the last sweep found, and those receivers reported recently.</summary>
    public IReadOnlyList<RememberedSelector> ActiveDkimSelectors(DateTimeOffset now) =>
        [.. DkimSelectors.Where(s => s.DiscoveredAt is not null || s.ReportedSince(now - RememberedSelector.ReportedLifetime))];
}
