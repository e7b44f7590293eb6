using System.Diagnostics.CodeAnalysis;
using MailHealth.Dns;

namespace MailHealth.MtaSts;

/// <summary>The <c>_mta-sts</c> TXT record (RFC 8461 section 3.1): <c>v=STSv1; id=...;</c>.</summary>
public sealed record MtaStsRecord(string Id, IReadOnlyDictionary<string, string> Extensions)
{
    public const string Version = "v=STSv1";

    /// <summary>RFC 8461 section 3.1: records that do not begin with <c>v=STSv1;</c> are discarded (case-sensitive).</summary>
    public static bool IsCandidate(string text) => VersionedTxtRecord.IsCandidate(text, Version);

    /// <summary>Looks like an attempt at an MTA-STS record (another version, another case).</summary>
    public static bool LooksLikeMtaSts(string text) => text.TrimStart().StartsWith("v=sts", StringComparison.OrdinalIgnoreCase);

    public static bool TryParse(string text, [NotNullWhen(true)] out MtaStsRecord? record, [NotNullWhen(false)] out string? error)
    {
        record = null;
        if (!VersionedTxtRecord.TryParseFields(text, Version, out var fields, out error))
        {
            return false;
        }

        string? id = null;
        var extensions = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in fields)
        {
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

            if (!VersionedTxtRecord.IsValidExtension(name, value))
            {
                error = VersionedTxtRecord.InvalidExtension(name, value);
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
}
