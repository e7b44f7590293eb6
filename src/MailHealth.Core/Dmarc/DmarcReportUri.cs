using System.Text.RegularExpressions;
using MailHealth.Dns;

namespace MailHealth.Dmarc;

/// <summary>
/// One reporting URI of rua= or ruf= (RFC 9989 sections 4.6 and 4.8): its scheme and destination
/// host, or why it is not a URI. A historic size limit suffix ("!10m") is accepted and dropped.
/// </summary>
public sealed partial record DmarcReportUri(string Text, string? Scheme, string? Host, string? Problem)
{
    public bool IsValid => Problem is null;

    /// <summary>Splits a dmarc-urilist at commas (commas inside a URI must be percent-encoded).</summary>
    public static IReadOnlyList<DmarcReportUri> ParseList(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        return [.. value.Split(',').Select(part => part.Trim(' ', '\t')).Select(Parse)];
    }

    public static DmarcReportUri Parse(string text)
    {
        if (text.Length == 0)
        {
            return new DmarcReportUri(text, null, null, "empty URI in the list");
        }

        // obs-dmarc-report-size = "!" 1*DIGIT [ "k" / "m" / "g" / "t" ]: reporters ignore it.
        var uriText = SizeSuffix().Replace(text, "");
        if (!SchemePrefix().IsMatch(uriText) || !Uri.TryCreate(uriText, UriKind.Absolute, out var uri))
        {
            var hint = uriText.Contains('@', StringComparison.Ordinal) ? " (a mail address needs the mailto: prefix)" : "";
            return new DmarcReportUri(text, null, null, $"'{text}' is not a URI{hint}");
        }

        var host = uri.IdnHost;
        if (host.Length == 0)
        {
            return new DmarcReportUri(text, uri.Scheme, null, $"'{text}' names no destination host");
        }

        // The host is where the _report._dmarc authorization is looked up: a real domain name.
        if (!DomainName.TryParse(host, out var name, out var error))
        {
            return new DmarcReportUri(text, uri.Scheme, null, $"'{text}' names no valid destination host: {error}");
        }

        return new DmarcReportUri(text, uri.Scheme, name.Ascii, null);
    }

    [GeneratedRegex(@"![0-9]+[kmgt]?$", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex SizeSuffix();

    // RFC 3986 section 3.1: scheme = ALPHA *( ALPHA / DIGIT / "+" / "-" / "." ) followed by ":".
    [GeneratedRegex("^[A-Za-z][A-Za-z0-9+.-]*:", RegexOptions.CultureInvariant)]
    private static partial Regex SchemePrefix();
}
