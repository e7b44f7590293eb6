using System.Diagnostics.CodeAnalysis;

namespace MailHealth.MtaSts;

/// <summary>The <c>_mta-sts</c> TXT record (RFC 8461 section 3.1): <c>v=STSv1; id=...;</c>.</summary>
public sealed record MtaStsRecord(string Id, IReadOnlyDictionary<string, string> Extensions)
{
    public const string Version = "v=STSv1";

    /// <summary>
    /// RFC 8461 section 3.1: records that do not begin with <c>v=STSv1;</c> are discarded. The
    /// version is case-sensitive (%s in the ABNF); <c>*WSP ";"</c> may follow it.
    /// </summary>
    public static bool IsCandidate(string text)
    {
        if (!text.StartsWith(Version, StringComparison.Ordinal))
        {
            return false;
        }

        var rest = text.AsSpan(Version.Length).TrimStart(" \t");
        return rest.IsEmpty || rest[0] == ';';
    }

    /// <summary>Looks like an attempt at an MTA-STS record (another version, another case).</summary>
    public static bool LooksLikeMtaSts(string text) => text.TrimStart().StartsWith("v=sts", StringComparison.OrdinalIgnoreCase);

    public static bool TryParse(string text, [NotNullWhen(true)] out MtaStsRecord? record, [NotNullWhen(false)] out string? error)
    {
        record = null;
        if (!IsCandidate(text))
        {
            error = "the record does not begin with v=STSv1";
            return false;
        }

        string? id = null;
        var extensions = new Dictionary<string, string>(StringComparer.Ordinal);
        var fields = text[Version.Length..].Split(';');
        for (var i = 1; i < fields.Length; i++)
        {
            var field = fields[i].Trim(' ', '\t');
            if (field.Length == 0)
            {
                // sts-field-delim may end the record; empty fields between delimiters are not in the ABNF.
                if (i != fields.Length - 1)
                {
                    error = "the record has an empty field between two ';'";
                    return false;
                }

                continue;
            }

            var eq = field.IndexOf('=', StringComparison.Ordinal);
            if (eq <= 0)
            {
                error = $"field '{field}' is not name=value";
                return false;
            }

            var name = field[..eq];
            var value = field[(eq + 1)..];
            if (name == "id")
            {
                // sts-id = "id=" 1*32(ALPHA / DIGIT)
                if (value.Length is 0 or > 32 || !value.All(char.IsAsciiLetterOrDigit))
                {
                    error = $"id '{value}' must be 1 to 32 letters and digits";
                    return false;
                }

                // RFC 8461 section 3.2 (last paragraph, applied alike to the record): the first wins.
                id ??= value;
                continue;
            }

            if (!IsExtensionName(name) || value.Length == 0 || !value.All(IsExtensionValueChar))
            {
                error = $"field '{field}' is not a valid extension (name=value without spaces, '=' or ';')";
                return false;
            }

            extensions.TryAdd(name, value);
        }

        if (id is null)
        {
            error = "the required id field is missing";
            return false;
        }

        record = new MtaStsRecord(id, extensions);
        error = null;
        return true;
    }

    // sts-ext-name = (ALPHA / DIGIT) *31(ALPHA / DIGIT / "_" / "-" / ".")
    internal static bool IsExtensionName(string name) =>
        name.Length is >= 1 and <= 32
        && char.IsAsciiLetterOrDigit(name[0])
        && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.');

    // sts-ext-value = 1*(%x21-3A / %x3C / %x3E-7E)
    internal static bool IsExtensionValueChar(char c) => c is (>= '\x21' and <= '\x3A') or '\x3C' or (>= '\x3E' and <= '\x7E');
}
