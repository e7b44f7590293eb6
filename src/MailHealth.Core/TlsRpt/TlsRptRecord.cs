using System.Diagnostics.CodeAnalysis;
using MailHealth.Dns;

namespace MailHealth.TlsRpt;

/// <summary>The <c>_smtp._tls</c> TXT record (RFC 8460 section 3): <c>v=TLSRPTv1; rua=URI[,URI...]</c>.</summary>
public sealed record TlsRptRecord(IReadOnlyList<Uri> Rua, IReadOnlyDictionary<string, string> Extensions)
{
    public const string Version = "v=TLSRPTv1";

    /// <summary>RFC 8460 section 3: records that do not begin with <c>v=TLSRPTv1;</c> are discarded.</summary>
    public static bool IsCandidate(string text) => VersionedTxtRecord.IsCandidate(text, Version);

    /// <summary>Looks like an attempt at a TLS-RPT record (another version, another case).</summary>
    public static bool LooksLikeTlsRpt(string text) => text.TrimStart().StartsWith("v=tlsrpt", StringComparison.OrdinalIgnoreCase);

    public static bool TryParse(string text, [NotNullWhen(true)] out TlsRptRecord? record, [NotNullWhen(false)] out string? error)
    {
        record = null;
        if (!VersionedTxtRecord.TryParseFields(text, Version, out var fields, out error))
        {
            return false;
        }

        List<Uri>? rua = null;
        var extensions = new Dictionary<string, string>(StringComparer.Ordinal);
        foreach (var (name, value) in fields)
        {
            if (name == "rua")
            {
                if (rua is not null)
                {
                    continue;
                }

                rua = [];
                foreach (var item in value.Split(','))
                {
                    if (!TryParseUri(item.Trim(' ', '\t'), out var uri, out var uriError))
                    {
                        error = uriError;
                        return false;
                    }

                    rua.Add(uri);
                }

                continue;
            }

            // tlsrpt-extension: the same grammar as MTA-STS extensions (RFC 8460 section 3).
            if (!VersionedTxtRecord.IsValidExtension(name, value))
            {
                error = VersionedTxtRecord.InvalidExtension(name, value);
                return false;
            }

            extensions.TryAdd(name, value);
        }

        if (rua is null)
        {
            error = "the required rua field is missing: reports have nowhere to go";
            return false;
        }

        record = new TlsRptRecord(rua, extensions);
        error = null;
        return true;
    }

    /// <summary>RFC 8460 section 3: a mailto: address or an https: URL; nothing else is supported.</summary>
    public static bool TryParseUri(string text, [NotNullWhen(true)] out Uri? uri, [NotNullWhen(false)] out string? error)
    {
        uri = null;
        if (text.Length == 0)
        {
            error = "rua has an empty URI";
            return false;
        }

        // Commas, '!' and ';' must be percent-encoded inside a URI (RFC 8460 section 3).
        if (text.Contains('!', StringComparison.Ordinal) || !Uri.TryCreate(text, UriKind.Absolute, out var parsed))
        {
            error = $"rua URI '{text}' is not a valid absolute URI";
            return false;
        }

        switch (parsed.Scheme)
        {
            case "mailto":
                var address = Uri.UnescapeDataString(text["mailto:".Length..].Split('?')[0]);
                var at = address.LastIndexOf('@');
                if (at <= 0 || at == address.Length - 1 || address.Contains(' ', StringComparison.Ordinal)
                    || !DomainName.TryParse(address[(at + 1)..], out _, out _))
                {
                    error = $"rua URI '{text}' is not mailto: followed by an e-mail address";
                    return false;
                }

                break;
            case "https":
                if (parsed.HostNameType != UriHostNameType.Dns || !DomainName.TryParse(parsed.Host, out _, out _))
                {
                    error = $"rua URI '{text}' does not name a host";
                    return false;
                }

                break;
            default:
                error = $"rua URI '{text}' has scheme '{parsed.Scheme}'; only mailto: and https: are supported";
                return false;
        }

        uri = parsed;
        error = null;
        return true;
    }
}
