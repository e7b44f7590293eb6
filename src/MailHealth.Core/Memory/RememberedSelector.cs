namespace MailHealth.Memory;

/// <summary>A DKIM selector the monitor knows for a target, and how: when the sweep last found it, when receivers last reported it.</summary>
/// <param name="Selector">The selector, lower case.</param>
/// <param name="DiscoveredAt">When the daily discovery sweep last found a key there; null when the last sweep did not.</param>
/// <param name="ReportedAt">When a receiver's report last named it (mail signed with it was seen); null when none did.</param>
public sealed record RememberedSelector(string Selector, DateTimeOffset? DiscoveredAt, DateTimeOffset? ReportedAt)
{
    /// <summary>How long a reported selector is checked after the last report naming it: a signer that moved on stops being checked a month later.</summary>
    public static readonly TimeSpan ReportedLifetime = TimeSpan.FromDays(30);

    /// <summary>Found by guessing, never seen in a receiver's report: its findings are information only.</summary>
    public bool OnlyGuessed => ReportedAt is null;

    /// <summary>When it was last seen, by either way.</summary>
    public DateTimeOffset? LastSeenAt => (DiscoveredAt, ReportedAt) switch
    {
        (null, var reported) => reported,
        (var discovered, null) => discovered,
        var (discovered, reported) => discovered > reported ? discovered : reported,
    };

    public bool ReportedSince(DateTimeOffset cutoff) => ReportedAt is { } reported && reported >= cutoff;
}
