using System.Diagnostics.CodeAnalysis;

namespace MailHealth.Dns;

/// <summary>
/// The TXT grammar MTA-STS (RFC 8461 section 3.1) and TLS-RPT (RFC 8460 section 3) share:
/// a case-sensitive version first (<c>v=STSv1</c>, <c>v=TLSRPTv1</c>), then <c>;</c>-separated
/// <c>name=value</c> fields, an optional trailing delimiter, and extensions of one syntax.
/// </summary>
public static class VersionedTxtRecord
{
    /// <summary>Records that do not begin with the version (and a delimiter or nothing) are discarded.</summary>
    public static bool IsCandidate(string text, string version)
    {
        if (!text.StartsWith(version, StringComparison.Ordinal))
        {
            return false;
        }

        var rest = text.AsSpan(version.Length).TrimStart(" \t");
        return rest.IsEmpty || rest[0] == ';';
    }

    /// <summary>The fields after the version, in order. Fails on an empty field between delimiters or a field without '='.</summary>
    public static bool TryParseFields(
        string text,
        string version,
        [NotNullWhen(true)] out IReadOnlyList<KeyValuePair<string, string>>? fields,
        [NotNullWhen(false)] out string? error)
    {
        fields = null;
        if (!IsCandidate(text, version))
        {
            error = $"the record does not begin with {version}";
            return false;
        }

        var parsed = new List<KeyValuePair<string, string>>();
        var parts = text[version.Length..].Split(';');
        for (var i = 1; i < parts.Length; i++)
        {
            var field = parts[i].Trim(' ', '\t');
            if (field.Length == 0)
            {
                // The field delimiter may end the record; empty fields between delimiters are not in the ABNF.
                if (i != parts.Length - 1)
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

            parsed.Add(new(field[..eq], field[(eq + 1)..]));
        }

        fields = parsed;
        error = null;
        return true;
    }

    /// <summary>
    /// sts-extension / tlsrpt-extension: name = (ALPHA / DIGIT) *31(ALPHA / DIGIT / "_" / "-" / "."),
    /// value = 1*(%x21-3A / %x3C / %x3E-7E).
    /// </summary>
    public static bool IsValidExtension(string name, string value) =>
        IsExtensionName(name) && value.Length > 0 && value.All(c => c is (>= '\x21' and <= '\x3A') or '\x3C' or (>= '\x3E' and <= '\x7E'));

    /// <summary>An extension name; RFC 8461 section 3.2 gives policy field names the same syntax.</summary>
    public static bool IsExtensionName(string name) =>
        name.Length is >= 1 and <= 32
        && char.IsAsciiLetterOrDigit(name[0])
        && name.All(c => char.IsAsciiLetterOrDigit(c) || c is '_' or '-' or '.');

    /// <summary>The message for an extension field that breaks the grammar.</summary>
    public static string InvalidExtension(string name, string value) =>
        $"field '{name}={value}' is not a valid extension (name=value without spaces, '=' or ';')";
}
