namespace MailHealth.Changes;

/// <summary>
/// What a run read that an administrator may later ask "when did this change?" about: named items
/// with a canonical text value each. Item names: <c>mx</c>, <c>spf</c>, <c>dmarc</c>,
/// <c>mta-sts</c>, <c>mta-sts-policy</c>, <c>tls-rpt</c>, <c>dkim:SELECTOR</c>, <c>tlsa:HOST</c>,
/// <c>cert:HOST:PORT</c> (see <see cref="FingerprintItems"/>). A value is canonical (sorted sets,
/// trimmed records), so two runs that read the same thing have equal values. An item a run could
/// not read (a lookup error) is absent from <see cref="Items"/> and named in <see cref="Unread"/>,
/// so a failed lookup is never mistaken for a removal (docs/changes.md).
/// </summary>
public sealed record RunFingerprint(IReadOnlyDictionary<string, string> Items)
{
    private static readonly IReadOnlySet<string> NoneUnread = new HashSet<string>(StringComparer.Ordinal);

    public static RunFingerprint Empty { get; } = new(new Dictionary<string, string>(StringComparer.Ordinal));

    /// <summary>
    /// Items this run tried and could not read, so their absence from <see cref="Items"/> says
    /// nothing: exact names (<c>spf</c>, <c>cert:mx1.example.com:25</c>) or a whole family
    /// (<c>cert:*</c>, when the mail hosts themselves could not be found). Every other item absent
    /// from <see cref="Items"/> was looked for and is not published.
    /// </summary>
    public IReadOnlySet<string> Unread { get; init; } = NoneUnread;

    /// <summary>True when this run knows <paramref name="item"/>: its value, or that it is not there.</summary>
    public bool Knows(string item)
    {
        ArgumentNullException.ThrowIfNull(item);
        return Items.ContainsKey(item) || !Unread.Contains(item) && !(FingerprintItems.Family(item) is { } family && Unread.Contains(family));
    }
}
