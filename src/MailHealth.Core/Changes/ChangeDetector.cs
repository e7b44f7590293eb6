namespace MailHealth.Changes;

/// <summary>
/// Drift between runs (issue 7 part 6; docs/changes.md): what a target's DNS and TLS say
/// differently now. Compare the new run's fingerprint with the target's baseline, then keep
/// <see cref="Carry"/> of the two as the next baseline, so an item a run could not read keeps its
/// last known value and a change across that run is still seen.
/// </summary>
public static class ChangeDetector
{
    // Report order: where mail goes, who may send, how it is protected.
    private static readonly string[] Order =
    [
        FingerprintItems.Mx, FingerprintItems.Spf, FingerprintItems.DkimPrefix, FingerprintItems.Dmarc, FingerprintItems.MtaSts,
        FingerprintItems.MtaStsPolicy, FingerprintItems.TlsRpt, FingerprintItems.TlsaPrefix, FingerprintItems.CertPrefix,
    ];

    /// <summary>
    /// One event per item whose value differs, appeared or disappeared between <paramref name="before"/>
    /// and <paramref name="after"/>, ordered by kind then name. An item either fingerprint does not
    /// know (<see cref="RunFingerprint.Knows"/>) yields nothing. No baseline (the target's first
    /// run) yields nothing: everything would "appear".
    /// </summary>
    public static IReadOnlyList<ChangeEvent> Compare(RunFingerprint? before, RunFingerprint after, string targetId, string runId, DateTimeOffset at)
    {
        ArgumentNullException.ThrowIfNull(after);
        ArgumentException.ThrowIfNullOrWhiteSpace(targetId);
        ArgumentException.ThrowIfNullOrWhiteSpace(runId);
        if (before is null)
        {
            return [];
        }

        var events = new List<ChangeEvent>();
        foreach (var item in before.Items.Keys.Union(after.Items.Keys, StringComparer.Ordinal).OrderBy(Rank).ThenBy(i => i, StringComparer.Ordinal))
        {
            if (!before.Knows(item) || !after.Knows(item))
            {
                continue;
            }

            var was = before.Items.GetValueOrDefault(item);
            var now = after.Items.GetValueOrDefault(item);
            if (!string.Equals(was, now, StringComparison.Ordinal))
            {
                events.Add(new ChangeEvent(targetId, item, was, now, ChangeSummary.Describe(item, was, now), at, runId));
            }
        }

        return events;
    }

    /// <summary>
    /// The baseline to compare the next run with: <paramref name="after"/>, with the last known value
    /// of every item it could not read taken from <paramref name="before"/>. Still unread are only
    /// the items neither knew.
    /// </summary>
    public static RunFingerprint Carry(RunFingerprint? before, RunFingerprint after)
    {
        ArgumentNullException.ThrowIfNull(after);
        if (before is null)
        {
            return after;
        }

        var items = new SortedDictionary<string, string>(after.Items.ToDictionary(), StringComparer.Ordinal);
        foreach (var (item, value) in before.Items.Where(i => !after.Knows(i.Key)))
        {
            items[item] = value;
        }

        var unread = new SortedSet<string>(StringComparer.Ordinal);
        foreach (var entry in after.Unread)
        {
            var stillUnknown = entry.EndsWith(":*", StringComparison.Ordinal) ? before.Unread.Contains(entry) : !before.Knows(entry);
            if (stillUnknown && !items.ContainsKey(entry))
            {
                unread.Add(entry);
            }
        }

        foreach (var entry in before.Unread.Where(e => !e.EndsWith(":*", StringComparison.Ordinal)))
        {
            if (!after.Knows(entry) && !items.ContainsKey(entry))
            {
                unread.Add(entry);
            }
        }

        return new RunFingerprint(items) { Unread = unread };
    }

    private static int Rank(string item)
    {
        for (var i = 0; i < Order.Length; i++)
        {
            if (item == Order[i] || Order[i].EndsWith(':') && item.StartsWith(Order[i], StringComparison.Ordinal))
            {
                return i;
            }
        }

        return Order.Length;
    }
}
