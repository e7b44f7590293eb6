using System.Diagnostics.CodeAnalysis;
using System.Globalization;

namespace MailHealth.Dns;

/// <summary>
/// A validated domain name in both forms: ASCII (A-labels, what goes on the wire) and Unicode
/// (U-labels, what a person reads). IDNA2008 via <see cref="IdnMapping"/> with UseStd3AsciiRules,
/// so only letters, digits and hyphens pass (RFC 5890, RFC 1123 section 2.1).
/// </summary>
public sealed record DomainName(string Ascii, string Unicode)
{
    private static readonly IdnMapping Idn = new() { UseStd3AsciiRules = true, AllowUnassigned = false };

    public static bool TryParse(string? text, [NotNullWhen(true)] out DomainName? name, [NotNullWhen(false)] out string? error)
    {
        name = null;
        var trimmed = (text ?? "").Trim();
        if (trimmed.EndsWith('.'))
        {
            trimmed = trimmed[..^1];
        }

        if (trimmed.Length == 0)
        {
            error = "the domain is empty";
            return false;
        }

        if (trimmed.Contains('@', StringComparison.Ordinal))
        {
            error = $"'{text}' is an address, not a domain: give the part after '@'";
            return false;
        }

        string ascii;
        try
        {
            ascii = Idn.GetAscii(trimmed).ToLowerInvariant();
        }
        catch (ArgumentException)
        {
            error = trimmed.Split('.').Any(label => label.Length > 63)
                ? $"'{text}' is not a valid domain name (label or name too long)"
                : $"'{text}' is not a valid domain name";
            return false;
        }

        // RFC 1035 section 2.3.4: 63 octets a label, 253 characters a name in text form.
        if (ascii.Length > 253 || ascii.Split('.').Any(label => label.Length is 0 or > 63))
        {
            error = $"'{text}' is not a valid domain name (label or name too long)";
            return false;
        }

        if (!ascii.Contains('.', StringComparison.Ordinal))
        {
            error = $"'{text}' is not a fully qualified domain name";
            return false;
        }

        string unicode;
        try
        {
            unicode = Idn.GetUnicode(ascii);
        }
        catch (ArgumentException)
        {
            unicode = ascii;
        }

        name = new DomainName(ascii, unicode);
        error = null;
        return true;
    }

    public override string ToString() => Ascii;
}
