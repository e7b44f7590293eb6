using System.Globalization;

namespace MailHealth.Changes;

/// <summary>
/// One line that says what changed in a fingerprint item, in the terms of its record: SPF terms,
/// DMARC tags, MX hosts, TLSA records, a key's or a certificate's fingerprint and expiry
/// (docs/changes.md has examples of each).
/// </summary>
public static class ChangeSummary
{
    /// <summary>Hex fingerprints are cut to this many characters and an ellipsis in summaries (values keep them whole).</summary>
    public const int ShortHexLength = 12;

    public static string Describe(string item, string? before, string? after)
    {
        ArgumentNullException.ThrowIfNull(item);
        if (before is null && after is null)
        {
            throw new ArgumentException("an item that is absent before and after did not change", nameof(item));
        }

        var name = Name(item);
        if (before is null)
        {
            return item switch
            {
                _ when item.StartsWith(FingerprintItems.DkimPrefix, StringComparison.Ordinal) => $"{name} added: {DkimKey(after!)}",
                _ when item.StartsWith(FingerprintItems.CertPrefix, StringComparison.Ordinal) => $"{name} appeared: {Certificate(after!)}",
                _ when item.StartsWith(FingerprintItems.TlsaPrefix, StringComparison.Ordinal) => $"{name} added: {string.Join(", ", Set(after!, ", ").Select(Tlsa))}",
                _ => $"{name} appeared: {after}",
            };
        }

        if (after is null)
        {
            return item switch
            {
                _ when item.StartsWith(FingerprintItems.DkimPrefix, StringComparison.Ordinal) => $"{name} removed (was {DkimKey(before)})",
                _ when item.StartsWith(FingerprintItems.CertPrefix, StringComparison.Ordinal) => $"{name} no longer presented (was {Certificate(before)})",
                _ when item.StartsWith(FingerprintItems.TlsaPrefix, StringComparison.Ordinal) => $"{name} removed (was {string.Join(", ", Set(before, ", ").Select(Tlsa))})",
                _ => $"{name} disappeared (was {before})",
            };
        }

        var details = item switch
        {
            FingerprintItems.Mx => MxChanges(before, after),
            FingerprintItems.Spf => SpfChanges(before, after),
            FingerprintItems.Dmarc or FingerprintItems.TlsRpt or FingerprintItems.MtaSts => TagChanges(before, after, "; ", "="),
            FingerprintItems.MtaStsPolicy => TagChanges(before, after, "; ", ": "),
            _ when item.StartsWith(FingerprintItems.TlsaPrefix, StringComparison.Ordinal) => SetChanges(Set(before, ", "), Set(after, ", "), Tlsa),
            _ => null,
        };

        if (item == FingerprintItems.MtaSts && OnlyIdChanged(before, after) is { } ids)
        {
            return $"MTA-STS policy id changed: {ids}";
        }

        if (item.StartsWith(FingerprintItems.DkimPrefix, StringComparison.Ordinal))
        {
            return after == FingerprintReader.DkimRevoked
                ? $"{name} revoked (was {DkimKey(before)})"
                : $"{name} replaced: {DkimKey(after)} (was {DkimKey(before)})";
        }

        if (item.StartsWith(FingerprintItems.CertPrefix, StringComparison.Ordinal))
        {
            return $"{name} changed: {CertificateChanges(before, after)}";
        }

        return details is { Count: > 0 } ? $"{name} changed: {string.Join("; ", details)}" : $"{name} changed: {before} -> {after}";
    }

    private static string Name(string item) => item switch
    {
        FingerprintItems.Mx => "MX",
        FingerprintItems.Spf => "SPF",
        FingerprintItems.Dmarc => "DMARC",
        FingerprintItems.MtaSts => "MTA-STS record",
        FingerprintItems.MtaStsPolicy => "MTA-STS policy",
        FingerprintItems.TlsRpt => "TLS-RPT",
        _ when item.StartsWith(FingerprintItems.DkimPrefix, StringComparison.Ordinal) => $"DKIM key {item[FingerprintItems.DkimPrefix.Length..]}",
        _ when item.StartsWith(FingerprintItems.TlsaPrefix, StringComparison.Ordinal) => $"TLSA of {item[FingerprintItems.TlsaPrefix.Length..]}",
        _ when item.StartsWith(FingerprintItems.CertPrefix, StringComparison.Ordinal) => $"certificate of {item[FingerprintItems.CertPrefix.Length..]}",
        _ => item,
    };

    /// <summary>Hosts added and removed, and preferences that moved: <c>mx2.example.com added</c>.</summary>
    private static List<string> MxChanges(string before, string after)
    {
        // In the value's own order (by preference): host and preference.
        static List<(string Host, string Preference)> Hosts(string value) => [.. Set(value, ", ")
            .Select(entry => entry.Split(' ', 2))
            .Where(parts => parts.Length == 2)
            .Select(parts => (parts[1], parts[0]))
            .DistinctBy(h => h.Item1, StringComparer.Ordinal)];

        var was = Hosts(before);
        var now = Hosts(after);
        var wasPreference = was.ToDictionary(h => h.Host, h => h.Preference, StringComparer.Ordinal);
        var nowHosts = now.Select(h => h.Host).ToHashSet(StringComparer.Ordinal);
        var changes = new List<string>();
        changes.AddRange(was.Where(h => !nowHosts.Contains(h.Host)).Select(h => $"{h.Host} removed"));
        changes.AddRange(now.Where(h => !wasPreference.ContainsKey(h.Host)).Select(h => $"{h.Host} added"));
        changes.AddRange(now
            .Where(h => wasPreference.TryGetValue(h.Host, out var p) && p != h.Preference
                && p != FingerprintReader.ImplicitMxMark && h.Preference != FingerprintReader.ImplicitMxMark)
            .Select(h => $"{h.Host} preference {wasPreference[h.Host]} -> {h.Preference}"));
        return changes;
    }

    /// <summary>Terms removed and added; a term whose qualifier alone changed reads <c>~all -> -all</c>.</summary>
    private static List<string> SpfChanges(string before, string after)
    {
        if (before.Contains(FingerprintReader.RecordSeparator, StringComparison.Ordinal) || after.Contains(FingerprintReader.RecordSeparator, StringComparison.Ordinal))
        {
            return [];
        }

        var was = before.Split(' ');
        var now = after.Split(' ');
        var removed = was.Except(now, StringComparer.OrdinalIgnoreCase).ToList();
        var added = now.Except(was, StringComparer.OrdinalIgnoreCase).ToList();
        var changes = new List<string>();
        foreach (var term in removed.ToList())
        {
            // RFC 7208 section 4.6.2: the qualifier is the optional first character of a mechanism.
            var requalified = added.FirstOrDefault(a => string.Equals(Unqualified(a), Unqualified(term), StringComparison.OrdinalIgnoreCase));
            if (requalified is not null)
            {
                changes.Add($"{term} -> {requalified}");
                removed.Remove(term);
                added.Remove(requalified);
            }
        }

        changes.AddRange(removed.Select(t => $"{t} removed"));
        changes.AddRange(added.Select(t => $"{t} added"));
        if (changes.Count == 0)
        {
            changes.Add("terms reordered");
        }

        return changes;
    }

    private static string Unqualified(string term) => term.Length > 1 && term[0] is '+' or '-' or '~' or '?' ? term[1..] : term;

    /// <summary>
    /// Tag by tag: <c>p=reject -> p=none</c>, <c>rua=... added</c>, <c>pct=50 removed</c>. A tag that
    /// comes several times (mx in an MTA-STS policy) is compared as a set of values.
    /// </summary>
    private static List<string> TagChanges(string before, string after, string separator, string equals)
    {
        static List<(string Name, string Value)> Tags(string value, string separator, string equals) => [.. value
            .Split(FingerprintReader.RecordSeparator)
            .SelectMany(record => record.Split(separator))
            .Select(tag => tag.Split(equals, 2))
            .Select(parts => (parts[0], parts.Length == 2 ? parts[1] : ""))];

        var was = Tags(before, separator, equals);
        var now = Tags(after, separator, equals);
        var names = was.Select(t => t.Name).Concat(now.Select(t => t.Name)).Distinct(StringComparer.Ordinal);
        var changes = new List<string>();
        foreach (var name in names)
        {
            var old = was.Where(t => t.Name == name).Select(t => t.Value).ToList();
            var current = now.Where(t => t.Name == name).Select(t => t.Value).ToList();
            if (old.Count == 1 && current.Count == 1)
            {
                if (old[0] != current[0])
                {
                    changes.Add($"{name}{equals}{old[0]} -> {(equals == "=" ? name + equals : "")}{current[0]}");
                }

                continue;
            }

            changes.AddRange(old.Except(current, StringComparer.Ordinal).Select(v => $"{name}{equals}{v} removed"));
            changes.AddRange(current.Except(old, StringComparer.Ordinal).Select(v => $"{name}{equals}{v} added"));
        }

        return changes;
    }

    private static string? OnlyIdChanged(string before, string after)
    {
        var changes = TagChanges(before, after, "; ", "=");
        return changes.Count == 1 && changes[0].StartsWith("id=", StringComparison.Ordinal) && changes[0].Contains(" -> id=", StringComparison.Ordinal)
            ? changes[0].Replace("id=", "", StringComparison.Ordinal)
            : null;
    }

    private static List<string> SetChanges(IReadOnlyList<string> before, IReadOnlyList<string> after, Func<string, string> show)
    {
        var changes = new List<string>();
        changes.AddRange(after.Except(before, StringComparer.Ordinal).Select(v => $"{show(v)} added"));
        changes.AddRange(before.Except(after, StringComparer.Ordinal).Select(v => $"{show(v)} removed"));
        return changes;
    }

    private static string[] Set(string value, string separator) => value.Split(separator, StringSplitOptions.RemoveEmptyEntries);

    /// <summary><c>3 1 1 AB12CD34EF56…</c>: the association data cut short.</summary>
    private static string Tlsa(string record)
    {
        var parts = record.Split(' ');
        return parts.Length == 4 ? $"{parts[0]} {parts[1]} {parts[2]} {ShortHex(parts[3])}" : record;
    }

    /// <summary><c>rsa 2048 sha256:ab12cd34ef56…</c>.</summary>
    private static string DkimKey(string value) => string.Join(FingerprintReader.RecordSeparator, value.Split(FingerprintReader.RecordSeparator).Select(key =>
    {
        var sha = key.IndexOf("sha256:", StringComparison.Ordinal);
        return sha < 0 ? key : key[..(sha + 7)] + ShortHex(key[(sha + 7)..]);
    }));

    private static (string? Sha256, string? NotAfter) CertificateFields(string value)
    {
        var fields = value.Split("; ").Select(f => f.Split('=', 2)).Where(f => f.Length == 2).ToDictionary(f => f[0], f => f[1], StringComparer.Ordinal);
        return (fields.GetValueOrDefault("sha256"), fields.GetValueOrDefault("notAfter"));
    }

    private static string Certificate(string value)
    {
        var (sha, notAfter) = CertificateFields(value);
        return $"fingerprint {ShortHex(sha ?? "?")}, expires {Date(notAfter, notAfter)}";
    }

    /// <summary><c>expires 2027-01-10 (was 2026-12-01), fingerprint ab12cd34ef56… (was cd34ab12ef56…)</c>.</summary>
    private static string CertificateChanges(string before, string after)
    {
        var (oldSha, oldExpiry) = CertificateFields(before);
        var (newSha, newExpiry) = CertificateFields(after);
        var parts = new List<string>();
        if (oldExpiry != newExpiry)
        {
            parts.Add($"expires {Date(newExpiry, oldExpiry)} (was {Date(oldExpiry, newExpiry)})");
        }

        if (oldSha != newSha)
        {
            parts.Add($"fingerprint {ShortHex(newSha ?? "?")} (was {ShortHex(oldSha ?? "?")})");
        }

        return parts.Count > 0 ? string.Join(", ", parts) : $"{after} (was {before})";
    }

    /// <summary>The date of an ISO time; with the time of day when <paramref name="other"/> falls on the same date.</summary>
    private static string Date(string? iso, string? other)
    {
        if (!DateTimeOffset.TryParse(iso, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var at))
        {
            return iso ?? "?";
        }

        var sameDay = DateTimeOffset.TryParse(other, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var then)
            && then.UtcDateTime.Date == at.UtcDateTime.Date && then != at;
        return at.UtcDateTime.ToString(sameDay ? "yyyy-MM-dd HH:mm:ss'Z'" : "yyyy-MM-dd", CultureInfo.InvariantCulture);
    }

    private static string ShortHex(string hex) => hex.Length > ShortHexLength ? hex[..ShortHexLength] + "\u2026" : hex;
}
