using System.Globalization;

namespace MailHealth.PublicSuffix;

/// <summary>
/// The Public Suffix List (https://publicsuffix.org/list/, the format and algorithm of its
/// "Format" page): which names are public suffixes (<c>com</c>, <c>co.uk</c>, <c>*.ck</c>), so
/// that the registrable domain ("base domain") of a host name is the suffix plus one label.
/// Rules come from the list's data file as distributions ship it (Debian's package
/// <c>publicsuffix</c>: /usr/share/publicsuffix/public_suffix_list.dat); nothing is hand-made here.
/// Names and rules are compared in their ASCII form (IDNA, RFC 5891), lower case, so a PTR name,
/// which DNS gives in that form, is looked up as it comes.
/// </summary>
public sealed class PublicSuffixList
{
    /// <summary>Where Debian's package <c>publicsuffix</c> puts the list.</summary>
    public const string DebianPath = "/usr/share/publicsuffix/public_suffix_list.dat";

    private const string PrivateSectionStart = "// ===BEGIN PRIVATE DOMAINS===";
    private const string PrivateSectionEnd = "// ===END PRIVATE DOMAINS===";

    private static readonly IdnMapping Idn = new() { AllowUnassigned = true, UseStd3AsciiRules = false };

    // Each rule as written after IDNA ("co.uk", "*.ck", "!www.ck"), with true for the PRIVATE section.
    private readonly Dictionary<string, bool> _rules;

    private PublicSuffixList(Dictionary<string, bool> rules) => _rules = rules;

    /// <summary>Rules read (both sections).</summary>
    public int Count => _rules.Count;

    /// <summary>Reads the list from its data file.</summary>
    /// <exception cref="FileNotFoundException">The file is not there (install Debian's <c>publicsuffix</c>, or set the path).</exception>
    public static PublicSuffixList Load(string path)
    {
        ArgumentException.ThrowIfNullOrEmpty(path);
        using var reader = new StreamReader(path);
        return Parse(reader);
    }

    /// <summary>
    /// Reads the list's format: one rule per line, up to the first whitespace; "//" comments; the
    /// PRIVATE section between its BEGIN and END markers; the rest is the ICANN section.
    /// </summary>
    public static PublicSuffixList Parse(TextReader reader)
    {
        ArgumentNullException.ThrowIfNull(reader);
        var rules = new Dictionary<string, bool>(StringComparer.Ordinal);
        var inPrivate = false;
        while (reader.ReadLine() is { } line)
        {
            var text = line.Trim();
            if (text.StartsWith("//", StringComparison.Ordinal))
            {
                inPrivate = text.StartsWith(PrivateSectionStart, StringComparison.Ordinal)
                    || (inPrivate && !text.StartsWith(PrivateSectionEnd, StringComparison.Ordinal));
                continue;
            }

            var end = text.IndexOfAny([' ', '\t']);
            var rule = end < 0 ? text : text[..end];
            if (rule.Length == 0)
            {
                continue;
            }

            var exception = rule[0] == '!';
            var wildcard = rule.StartsWith("*.", StringComparison.Ordinal);
            var name = ToAscii(exception ? rule[1..] : wildcard ? rule[2..] : rule);
            if (name is null)
            {
                continue;
            }

            rules[exception ? "!" + name : wildcard ? "*." + name : name] = inPrivate;
        }

        return new PublicSuffixList(rules);
    }

    /// <summary>
    /// The public suffix of a name by the list's algorithm: the matching exception rule minus its
    /// leftmost label if there is one, else the matching rule with the most labels, else the
    /// default rule "*" (the last label). Null for a name that is not a valid domain name.
    /// </summary>
    /// <param name="name">A host name, in Unicode or ASCII, any case, with or without the final dot.</param>
    /// <param name="includePrivate">Also apply the PRIVATE section's rules (names that companies let others register under).</param>
    public string? PublicSuffixOf(string name, bool includePrivate = false)
    {
        var ascii = Normalise(name);
        return ascii is null ? null : Suffix(ascii, includePrivate);
    }

    /// <summary>
    /// The registrable domain: the public suffix and one label more. Null when the name is itself
    /// a public suffix (or not a valid name).
    /// </summary>
    /// <param name="name">A host name, in Unicode or ASCII, any case, with or without the final dot.</param>
    /// <param name="includePrivate">Also apply the PRIVATE section's rules.</param>
    public string? RegistrableDomainOf(string name, bool includePrivate = false)
    {
        var ascii = Normalise(name);
        if (ascii is null)
        {
            return null;
        }

        var suffix = Suffix(ascii, includePrivate);
        if (suffix.Length == ascii.Length)
        {
            return null;
        }

        // The label left of the suffix, with the suffix.
        var start = ascii.LastIndexOf('.', ascii.Length - suffix.Length - 2) + 1;
        return ascii[start..];
    }

    private string Suffix(string name, bool includePrivate)
    {
        // Walk the name's suffixes from the last label leftwards: "uk", "co.uk", "example.co.uk".
        var longest = name[(name.LastIndexOf('.') + 1)..];
        var previous = "";
        var dot = name.Length;
        while (dot > 0)
        {
            var start = name.LastIndexOf('.', dot - 1) + 1;
            var candidate = name[start..];
            if (Applies("!" + candidate, includePrivate))
            {
                // An exception rule prevails over every other; the suffix is the rule less its leftmost label.
                return previous;
            }

            if (Applies(candidate, includePrivate) || (previous.Length > 0 && Applies("*." + previous, includePrivate)))
            {
                longest = candidate;
            }

            previous = candidate;
            dot = start - 1;
        }

        return longest;
    }

    private bool Applies(string rule, bool includePrivate) =>
        _rules.TryGetValue(rule, out var isPrivate) && (includePrivate || !isPrivate);

    // Lower-case ASCII without the final dot; null for an empty name or an empty label.
    private static string? Normalise(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        var trimmed = name.EndsWith('.') ? name[..^1] : name;
        var ascii = ToAscii(trimmed);
        return ascii is null || ascii.Split('.').Any(l => l.Length == 0) ? null : ascii;
    }

    private static string? ToAscii(string name)
    {
        if (name.Length == 0)
        {
            return null;
        }

        try
        {
            return Idn.GetAscii(name).ToLowerInvariant();
        }
        catch (ArgumentException)
        {
            return null;
        }
    }
}
