using System.Diagnostics.CodeAnalysis;
using MailHealth.Dns;

namespace MailHealth.MtaSts;

/// <summary>
/// One <c>mx:</c> pattern of a policy: a host name, or <c>*.</c> and a suffix whose wildcard stands
/// for exactly one left-most label (RFC 8461 section 4.1, RFC 6125 section 6.4.3).
/// </summary>
public sealed record MxPattern(string Text, bool IsWildcard, string Name)
{
    public static bool TryParse(string text, [NotNullWhen(true)] out MxPattern? pattern)
    {
        pattern = null;
        var value = Canonical.Name(text);
        var wildcard = value.StartsWith("*.", StringComparison.Ordinal);
        var name = wildcard ? value[2..] : value;
        if (!IsDomain(name))
        {
            return false;
        }

        pattern = new MxPattern(text.Trim(), wildcard, name);
        return true;
    }

    /// <summary>Does this pattern allow the MX host <paramref name="host"/>? Case-insensitive; a trailing dot is ignored.</summary>
    public bool Matches(string host)
    {
        var candidate = Canonical.Name(host);
        if (!IsWildcard)
        {
            return candidate == Name;
        }

        // "*.example.net" matches "mx.example.net" but neither "example.net" nor "a.mx.example.net".
        if (!candidate.EndsWith("." + Name, StringComparison.Ordinal))
        {
            return false;
        }

        var label = candidate[..^(Name.Length + 1)];
        return label.Length > 0 && !label.Contains('.', StringComparison.Ordinal);
    }

    public override string ToString() => Text;

    // Domain as in RFC 5321 section 4.1.2: dot-separated labels of letters, digits and inner
    // hyphens; RFC 8461 section 3.2 wants A-labels, so nothing outside ASCII.
    private static bool IsDomain(string name)
    {
        if (name.Length is 0 or > 253)
        {
            return false;
        }

        return name.Split('.').All(label =>
            label.Length is >= 1 and <= 63
            && char.IsAsciiLetterOrDigit(label[0])
            && char.IsAsciiLetterOrDigit(label[^1])
            && label.All(c => char.IsAsciiLetterOrDigit(c) || c == '-'));
    }
}
