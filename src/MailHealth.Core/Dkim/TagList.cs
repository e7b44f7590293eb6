namespace MailHealth.Dkim;

/// <summary>
/// A parsed "tag=value" list (RFC 6376 section 3.2), the syntax of DKIM key records and, by
/// RFC 9989 section 4.7, of DMARC records. Parsing never throws: what does not fit the grammar is
/// listed in <see cref="Problems"/>, and every tag that could be read is kept, in order.
/// </summary>
public sealed class TagList
{
    private TagList(IReadOnlyList<KeyValuePair<string, string>> tags, IReadOnlyList<string> problems)
    {
        Tags = tags;
        Problems = problems;
    }

    /// <summary>The tags in record order; for a duplicated name only the first occurrence.</summary>
    public IReadOnlyList<KeyValuePair<string, string>> Tags { get; }

    /// <summary>What breaks the grammar: a part without '=', a bad tag name or character, a duplicate.</summary>
    public IReadOnlyList<string> Problems { get; }

    /// <summary>Names that occurred more than once (RFC 6376 section 3.2: the whole list is then invalid).</summary>
    public IReadOnlyList<string> Duplicates { get; private init; } = [];

    public string? this[string name]
    {
        get
        {
            foreach (var tag in Tags)
            {
                if (tag.Key == name)
                {
                    return tag.Value;
                }
            }

            return null;
        }
    }

    public bool Contains(string name) => Tags.Any(t => t.Key == name);

    /// <summary>The first tag's name, or null for an empty list.</summary>
    public string? FirstName => Tags.Count > 0 ? Tags[0].Key : null;

    /// <summary>
    /// Parses <paramref name="text"/>. DKIM tag names are case-sensitive (RFC 6376 section 3.2);
    /// DMARC's are ABNF literals, so case-insensitive (RFC 5234 section 2.3): pass
    /// <paramref name="lowerCaseNames"/> to fold them to lower case.
    /// </summary>
    public static TagList Parse(string text, bool lowerCaseNames = false)
    {
        ArgumentNullException.ThrowIfNull(text);
        var tags = new List<KeyValuePair<string, string>>();
        var problems = new List<string>();
        var duplicates = new List<string>();
        var seen = new HashSet<string>(StringComparer.Ordinal);

        var specs = text.Split(';');
        for (var i = 0; i < specs.Length; i++)
        {
            var spec = specs[i];
            if (IsBlank(spec))
            {
                // A trailing ";" is allowed (tag-list = tag-spec *(";" tag-spec) [";"]); an empty
                // part in the middle ("a=1;;b=2") is tolerated as receivers do, but noted.
                if (i < specs.Length - 1 && i > 0)
                {
                    problems.Add($"empty tag between two ';' (part {i + 1})");
                }
                else if (i == 0 && specs.Length > 1)
                {
                    problems.Add("the record starts with ';'");
                }
                else if (specs.Length == 1)
                {
                    problems.Add("the record is empty");
                }

                continue;
            }

            var equals = spec.IndexOf('=', StringComparison.Ordinal);
            if (equals < 0)
            {
                problems.Add($"'{Trim(spec)}' is not a tag=value pair");
                continue;
            }

            var name = Trim(spec[..equals]);
            var value = Trim(spec[(equals + 1)..]);
            if (!IsTagName(name))
            {
                problems.Add($"'{name}' is not a valid tag name");
                continue;
            }

            var bad = FirstInvalidChar(value);
            if (bad >= 0)
            {
                problems.Add($"tag '{name}' has a character not allowed in a value (U+{(int)value[bad]:X4})");
            }

            if (lowerCaseNames)
            {
                name = name.ToLowerInvariant();
            }

            if (!seen.Add(name))
            {
                duplicates.Add(name);
                problems.Add($"tag '{name}' occurs more than once");
                continue;
            }

            tags.Add(new(name, value));
        }

        return new TagList(tags, problems) { Duplicates = duplicates };
    }

    /// <summary>WSP and the parts of FWS (RFC 5234 appendix B.1, RFC 5322 section 3.2.2).</summary>
    public static bool IsWhitespace(char c) => c is ' ' or '\t' or '\r' or '\n';

    /// <summary>The value with every folding whitespace character removed (for base64 values).</summary>
    public static string RemoveWhitespace(string value) => string.Concat(value.Where(c => !IsWhitespace(c)));

    /// <summary>Splits a colon-separated list (h=, s=, t=, fo=) and trims each item.</summary>
    public static IReadOnlyList<string> SplitList(string value, char separator = ':') =>
        [.. value.Split(separator).Select(Trim).Where(item => item.Length > 0)];

    private static int FirstInvalidChar(string value)
    {
        for (var i = 0; i < value.Length; i++)
        {
            if (!IsValueChar(value[i]) && !IsWhitespace(value[i]))
            {
                return i;
            }
        }

        return -1;
    }

    private static string Trim(string text) => text.Trim(' ', '\t', '\r', '\n');

    private static bool IsBlank(string text) => text.All(IsWhitespace);

    // tag-name = ALPHA *ALNUMPUNC; ALNUMPUNC = ALPHA / DIGIT / "_" (RFC 6376 section 3.2). DMARC
    // tags are 1*ALPHA; names of unknown future tags are ignored anyway, so one rule serves both,
    // and "-" is accepted too because records in the wild use it for private tags.
    private static bool IsTagName(string name) =>
        name.Length > 0 && char.IsAsciiLetter(name[0]) && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-');

    // VALCHAR = %x21-3A / %x3C-7E (RFC 6376 section 3.2); DMARC allows %x20 too (RFC 9989 section 4.8).
    private static bool IsValueChar(char c) => c is (>= '!' and <= ':') or (>= '<' and <= '~');
}
