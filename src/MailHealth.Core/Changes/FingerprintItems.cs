using MailHealth.Dns;

namespace MailHealth.Changes;

/// <summary>The names of fingerprint items: one per record, key or certificate a run reads.</summary>
public static class FingerprintItems
{
    /// <summary>The MX set: <c>10 mx1.example.com, 20 mx2.example.com</c>.</summary>
    public const string Mx = "mx";

    /// <summary>The SPF record, whitespace normalized.</summary>
    public const string Spf = "spf";

    /// <summary>The DMARC record in effect for the domain, tags normalized: <c>v=DMARC1; p=none; rua=...</c>.</summary>
    public const string Dmarc = "dmarc";

    /// <summary>The <c>_mta-sts</c> TXT record: <c>v=STSv1; id=...</c>.</summary>
    public const string MtaSts = "mta-sts";

    /// <summary>The MTA-STS policy file, one <c>key: value</c> per line, sorted, joined with <c>"; "</c>.</summary>
    public const string MtaStsPolicy = "mta-sts-policy";

    /// <summary>The <c>_smtp._tls</c> TXT record.</summary>
    public const string TlsRpt = "tls-rpt";

    public const string DkimPrefix = "dkim:";

    public const string TlsaPrefix = "tlsa:";

    public const string CertPrefix = "cert:";

    /// <summary>The key at a selector: <c>rsa 2048 sha256:HEX</c>, or <c>revoked</c>.</summary>
    public static string Dkim(string selector) => DkimPrefix + Canonical.Name(selector);

    /// <summary>The TLSA records at <c>_25._tcp.HOST</c>: <c>3 1 1 HEX, ...</c>, sorted.</summary>
    public static string Tlsa(string host) => TlsaPrefix + Canonical.Name(host);

    /// <summary>The certificate a host presents on a port: <c>sha256=HEX; notAfter=2027-01-10T00:00:00Z</c>.</summary>
    public static string Cert(string host, int port) => $"{CertPrefix}{Canonical.Name(host)}:{port}";

    /// <summary>The wildcard naming every item of a family (<c>cert:*</c> for <c>cert:mx1:25</c>); null for a single item such as <c>spf</c>.</summary>
    public static string? Family(string item)
    {
        ArgumentNullException.ThrowIfNull(item);
        var colon = item.IndexOf(':', StringComparison.Ordinal);
        return colon < 0 || item.EndsWith(":*", StringComparison.Ordinal) ? null : item[..(colon + 1)] + "*";
    }
}
