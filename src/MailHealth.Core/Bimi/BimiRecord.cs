namespace MailHealth.Bimi;

/// <summary>
/// A BIMI Assertion Record (draft-brand-indicators-for-message-identification, "Assertion Record
/// Definition"): tag=value pairs separated by ';', v=BIMI1 first, l= the logo location(s) and a=
/// the evidence document (mark certificate), both https URIs; an empty l= with no a= declines BIMI.
/// </summary>
public sealed record BimiRecord(string Text, IReadOnlyDictionary<string, string> Tags, IReadOnlyList<string> Problems)
{
    public string? Logo => Tags.TryGetValue("l", out var l) && l.Length > 0 ? l.Split(',')[0].Trim() : null;

    public string? Evidence => Tags.TryGetValue("a", out var a) && a.Length > 0 ? a : null;

    /// <summary>Empty l= and no a=: the domain says it has no BIMI logo.</summary>
    public bool Declines => Logo is null && Evidence is null;

    /// <summary>Whether a TXT record is meant as BIMI (starts with v=BIMI, any version or case).</summary>
    public static bool LooksLikeBimi(string text) =>
        (text ?? "").TrimStart().StartsWith("v=bimi", StringComparison.OrdinalIgnoreCase);

    public static BimiRecord Parse(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        var tags = new Dictionary<string, string>(StringComparer.Ordinal);
        var problems = new List<string>();
        var parts = text.Split(';').Select(p => p.Trim()).Where(p => p.Length > 0).ToList();
        foreach (var part in parts)
        {
            var eq = part.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                problems.Add($"'{part}' is not tag=value");
                continue;
            }

            var name = part[..eq].Trim().ToLowerInvariant();
            if (!tags.TryAdd(name, part[(eq + 1)..].Trim()))
            {
                problems.Add($"the tag {name} appears twice");
            }
        }

        if (parts.Count == 0 || !parts[0].Replace(" ", "", StringComparison.Ordinal).Equals("v=BIMI1", StringComparison.Ordinal))
        {
            problems.Add("the record does not start with v=BIMI1");
        }

        if (!tags.ContainsKey("l"))
        {
            problems.Add("no l= tag (the logo location; empty to decline)");
        }

        foreach (var (tag, value) in new[] { ("l", tags.GetValueOrDefault("l")), ("a", tags.GetValueOrDefault("a")) })
        {
            foreach (var uri in (value ?? "").Split(',', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                if (!Uri.TryCreate(uri, UriKind.Absolute, out var parsed) || parsed.Scheme != Uri.UriSchemeHttps)
                {
                    problems.Add($"{tag}={uri} is not an https URI");
                }
            }
        }

        return new BimiRecord(text, tags, problems);
    }
}
