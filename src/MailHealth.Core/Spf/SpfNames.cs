namespace MailHealth.Spf;

/// <summary>Domain name rules that SPF applies before it asks DNS (RFC 7208 sections 4.3 and 7.3).</summary>
public static class SpfNames
{
    /// <summary>
    /// RFC 7208 section 4.3: a multi-label name whose labels are 1 to 63 octets and that is not an
    /// address literal. A single trailing dot is allowed.
    /// </summary>
    public static bool IsValidDomain(string domain)
    {
        var name = domain.EndsWith('.') ? domain[..^1] : domain;
        if (name.Length == 0 || name.Length > 253 || name.StartsWith('['))
        {
            return false;
        }

        var labels = name.Split('.');
        return labels.Length >= 2 && labels.All(l => l.Length is > 0 and <= 63);
    }

    /// <summary>
    /// RFC 7208 section 7.3: an expanded name longer than 253 characters loses labels on the left
    /// until it fits. The trailing dot is dropped: names are asked as absolute.
    /// </summary>
    public static string Truncate(string expanded)
    {
        var name = expanded.EndsWith('.') ? expanded[..^1] : expanded;
        while (name.Length > 253)
        {
            var dot = name.IndexOf('.', StringComparison.Ordinal);
            if (dot < 0)
            {
                break;
            }

            name = name[(dot + 1)..];
        }

        return name;
    }

    /// <summary>The same name, compared case-insensitively and without a trailing dot.</summary>
    public static bool SameName(string a, string b) =>
        string.Equals(a.TrimEnd('.'), b.TrimEnd('.'), StringComparison.OrdinalIgnoreCase);

    /// <summary>True when <paramref name="name"/> is <paramref name="domain"/> or below it.</summary>
    public static bool IsAtOrBelow(string name, string domain)
    {
        var n = name.TrimEnd('.');
        var d = domain.TrimEnd('.');
        return n.Equals(d, StringComparison.OrdinalIgnoreCase) || n.EndsWith("." + d, StringComparison.OrdinalIgnoreCase);
    }
}
