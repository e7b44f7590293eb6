namespace MailHealth.Changes;

/// <summary>
/// What a run read that an administrator may later ask "when did this change?" about: named items
/// with a canonical text value each. Item names: <c>mx</c>, <c>spf</c>, <c>dmarc</c>,
/// <c>mta-sts</c>, <c>mta-sts-policy</c>, <c>tls-rpt</c>, <c>dkim:SELECTOR</c>, <c>tlsa:HOST</c>,
/// <c>cert:HOST:PORT</c>. A value is canonical (sorted sets, trimmed records), so two runs that
/// read the same thing have equal values. An item a run could not read (a lookup error) is absent,
/// so a failed lookup is never mistaken for a removal.
/// </summary>
public sealed record RunFingerprint(IReadOnlyDictionary<string, string> Items)
{
    public static RunFingerprint Empty { get; } = new(new Dictionary<string, string>(StringComparer.Ordinal));
}
