using System.Globalization;
using System.Text;
using MailHealth.Storage.Limits;

namespace MailHealth.Storage.Keys;

/// <summary>
/// Makes any text safe inside a PartitionKey or RowKey: the service refuses '/', '\', '#', '?'
/// and control characters in keys, so those (and '%', the escape itself) become %XX. Escaping is
/// injective, so two different ids never share a key, and it keeps ordinal order for the
/// characters that need none. The separator '|' between key parts is escaped too.
/// </summary>
public static class KeyText
{
    /// <summary>The longest key the service accepts, in characters (1 KiB of UTF-16).</summary>
    public const int MaxKeyLength = 512;

    public static string Escape(string text)
    {
        ArgumentNullException.ThrowIfNull(text);
        if (!text.Any(NeedsEscape))
        {
            return text;
        }

        var builder = new StringBuilder(text.Length + 8);
        foreach (var c in text)
        {
            if (NeedsEscape(c))
            {
                builder.Append('%').Append(((int)c).ToString("X2", CultureInfo.InvariantCulture));
            }
            else
            {
                builder.Append(c);
            }
        }

        return builder.ToString();
    }

    public static string Unescape(string key)
    {
        ArgumentNullException.ThrowIfNull(key);
        if (!key.Contains('%', StringComparison.Ordinal))
        {
            return key;
        }

        var builder = new StringBuilder(key.Length);
        for (var i = 0; i < key.Length; i++)
        {
            // Every escaped character is below 0x100, so an escape is always two hex digits.
            if (key[i] == '%' && i + 2 < key.Length)
            {
                builder.Append((char)int.Parse(key.AsSpan(i + 1, 2), NumberStyles.HexNumber, CultureInfo.InvariantCulture));
                i += 2;
            }
            else
            {
                builder.Append(key[i]);
            }
        }

        return builder.ToString();
    }

    /// <summary>Throws when <paramref name="key"/> is longer than the service accepts.</summary>
    public static string Checked(string key, string what) =>
        key.Length <= MaxKeyLength
            ? key
            : throw new TableLimitException($"{what} key is {key.Length} characters; the Table service accepts at most {MaxKeyLength}");

    private static bool NeedsEscape(char c) => c is '/' or '\\' or '#' or '?' or '%' or '|' || c < 0x20 || c is >= (char)0x7F and <= (char)0x9F;
}
