using System.Text;

namespace MailHealth.Spf;

/// <summary>
/// A macro-string of RFC 7208 section 7.1: literal text and macro-expands such as
/// <c>%{ir}</c>, <c>%{d2}</c>, <c>%{l-}</c>, <c>%%</c>, <c>%_</c>, <c>%-</c>.
/// </summary>
public sealed class SpfMacroString
{
    private SpfMacroString(string text, IReadOnlyList<SpfMacroPart> parts)
    {
        Text = text;
        Parts = parts;
    }

    /// <summary>The source text, as written in the record.</summary>
    public string Text { get; }

    public IReadOnlyList<SpfMacroPart> Parts { get; }

    /// <summary>True when any part is a macro letter (the value depends on the connection).</summary>
    public bool HasMacros => Parts.Any(p => p.Letter is not null);

    /// <summary>
    /// Parses a macro-string. <paramref name="explanation"/> allows what only explanation text
    /// allows (RFC 7208 section 7.1): the c, r and t letters, and any printable character or space
    /// as literal. <paramref name="errorOffset"/> is the 0-based offset of the offending character.
    /// </summary>
    public static bool TryParse(string text, bool explanation, out SpfMacroString? value, out string? error, out int errorOffset)
    {
        var parts = new List<SpfMacroPart>();
        var literal = new StringBuilder();
        value = null;
        error = null;
        errorOffset = 0;
        var i = 0;
        while (i < text.Length)
        {
            var c = text[i];
            if (c != '%')
            {
                // macro-literal = %x21-24 / %x26-7E; explanation text also allows SP (section 6.2).
                if (c > 0x7E || c < 0x20 || (c == ' ' && !explanation))
                {
                    error = $"character 0x{(int)c:X2} is not allowed here";
                    errorOffset = i;
                    return false;
                }

                literal.Append(c);
                i++;
                continue;
            }

            if (i + 1 >= text.Length)
            {
                error = "a lone '%' must be written '%%'";
                errorOffset = i;
                return false;
            }

            var next = text[i + 1];
            if (next is '%' or '_' or '-')
            {
                Flush(parts, literal);
                parts.Add(SpfMacroPart.Escape(next));
                i += 2;
                continue;
            }

            if (next != '{')
            {
                error = $"'%{next}' is not a macro: write '%%' for a percent sign";
                errorOffset = i;
                return false;
            }

            var close = text.IndexOf('}', i + 2);
            if (close < 0)
            {
                error = "macro '%{' is not closed with '}'";
                errorOffset = i;
                return false;
            }

            if (!TryParseMacro(text[(i + 2)..close], explanation, out var part, out error))
            {
                errorOffset = i;
                return false;
            }

            Flush(parts, literal);
            parts.Add(part!);
            i = close + 1;
        }

        Flush(parts, literal);
        value = new SpfMacroString(text, parts);
        return true;
    }

    /// <summary>
    /// Checks the domain-end of a domain-spec (RFC 7208 section 7.1): the string ends with a
    /// macro-expand, or with "." toplabel and an optional final ".".
    /// </summary>
    public bool IsValidDomainSpec(out string? error)
    {
        error = null;
        if (Parts.Count == 0)
        {
            error = "the domain is empty";
            return false;
        }

        if (Parts[^1].IsEscape || Parts[^1].Literal is not { } tail)
        {
            return true;
        }

        var trimmed = tail.EndsWith('.') ? tail[..^1] : tail;
        var dot = trimmed.LastIndexOf('.');
        if (dot < 0)
        {
            error = $"'{Text}' does not end with a top-level label such as '.com' (or a macro)";
            return false;
        }

        if (!IsTopLabel(trimmed[(dot + 1)..]))
        {
            error = $"'{trimmed[(dot + 1)..]}' is not a valid top-level label";
            return false;
        }

        return true;
    }

    /// <summary>Expands the string (RFC 7208 section 7.3). Uppercase letters are URL-escaped (section 7.3).</summary>
    public async ValueTask<string> ExpandAsync(SpfMacroContext context, CancellationToken cancellationToken)
    {
        var result = new StringBuilder();
        foreach (var part in Parts)
        {
            if (part.Literal is { } literal)
            {
                result.Append(literal);
                continue;
            }

            var value = await context.ValueOfAsync(char.ToLowerInvariant(part.Letter!.Value), cancellationToken).ConfigureAwait(false);
            var expanded = Transform(value, part);
            result.Append(char.IsUpper(part.Letter!.Value) ? UrlEscape(expanded) : expanded);
        }

        return result.ToString();
    }

    public override string ToString() => Text;

    // RFC 7208 section 7.3: split on the delimiters, reverse on "r", keep the rightmost N parts, join with ".".
    private static string Transform(string value, SpfMacroPart part)
    {
        if (part.Digits is null && !part.Reverse && part.Delimiters.Length == 0)
        {
            return value;
        }

        var delimiters = part.Delimiters.Length == 0 ? ['.'] : part.Delimiters.ToCharArray();
        IEnumerable<string> labels = value.Split(delimiters);
        if (part.Reverse)
        {
            labels = labels.Reverse();
        }

        var list = labels.ToList();
        if (part.Digits is { } keep && keep < list.Count)
        {
            list = list.GetRange(list.Count - keep, keep);
        }

        return string.Join('.', list);
    }

    // RFC 7208 section 7.3 and RFC 3986 section 2.3: escape everything but the unreserved characters.
    private static string UrlEscape(string value)
    {
        var result = new StringBuilder();
        foreach (var b in Encoding.UTF8.GetBytes(value))
        {
            var c = (char)b;
            if (char.IsAsciiLetterOrDigit(c) || c is '-' or '.' or '_' or '~')
            {
                result.Append(c);
            }
            else
            {
                result.Append('%').Append(b.ToString("X2", System.Globalization.CultureInfo.InvariantCulture));
            }
        }

        return result.ToString();
    }

    private static bool TryParseMacro(string body, bool explanation, out SpfMacroPart? part, out string? error)
    {
        part = null;
        error = null;
        if (body.Length == 0)
        {
            error = "empty macro '%{}'";
            return false;
        }

        var letter = body[0];
        var lower = char.ToLowerInvariant(letter);
        if ("slodiphvcrt".IndexOf(lower, StringComparison.Ordinal) < 0 || !char.IsAsciiLetter(letter))
        {
            error = $"unknown macro letter '{letter}'";
            return false;
        }

        // RFC 7208 section 7.3: c, r and t are only allowed in explanation text.
        if (!explanation && lower is 'c' or 'r' or 't')
        {
            error = $"macro letter '{letter}' is only allowed in explanation text";
            return false;
        }

        var i = 1;
        while (i < body.Length && char.IsAsciiDigit(body[i]))
        {
            i++;
        }

        int? digits = null;
        if (i > 1)
        {
            if (!int.TryParse(body.AsSpan(1, i - 1), System.Globalization.CultureInfo.InvariantCulture, out var n) || n == 0)
            {
                error = $"macro '%{{{body}}}' keeps zero labels";
                return false;
            }

            digits = n;
        }

        var reverse = false;
        if (i < body.Length && body[i] is 'r' or 'R')
        {
            reverse = true;
            i++;
        }

        var delimiters = body[i..];
        if (delimiters.Any(d => ".-+,/_=".IndexOf(d, StringComparison.Ordinal) < 0))
        {
            error = $"macro '%{{{body}}}' has an invalid delimiter";
            return false;
        }

        part = new SpfMacroPart(null, letter, digits, reverse, delimiters);
        return true;
    }

    private static void Flush(List<SpfMacroPart> parts, StringBuilder literal)
    {
        if (literal.Length > 0)
        {
            parts.Add(new SpfMacroPart(literal.ToString(), null, null, false, ""));
            literal.Clear();
        }
    }

    // toplabel = ( *alphanum ALPHA *alphanum ) / ( 1*alphanum "-" *( alphanum / "-" ) alphanum )
    private static bool IsTopLabel(string label) =>
        label.Length > 0
        && label.All(c => char.IsAsciiLetterOrDigit(c) || c == '-')
        && label[0] != '-' && label[^1] != '-'
        && label.Any(c => !char.IsAsciiDigit(c));
}

/// <summary>One piece of a macro-string: literal text, or a macro letter with its transformers.</summary>
public sealed record SpfMacroPart(string? Literal, char? Letter, int? Digits, bool Reverse, string Delimiters, bool IsEscape = false)
{
    /// <summary>"%%", "%_" and "%-" (RFC 7208 section 7.1): literal "%", " " and "%20".</summary>
    public static SpfMacroPart Escape(char c) => new(c switch { '%' => "%", '_' => " ", _ => "%20" }, null, null, false, "", true);
}
