namespace MailHealth.TlsRpt;

/// <summary>Findings of the <c>tls-rpt</c> check (RFC 8460).</summary>
public static class TlsRptFindingCodes
{
    /// <summary>No <c>_smtp._tls</c> record: nobody hears about TLS failures. Information only.</summary>
    public const string Missing = "TLSRPT_MISSING";

    /// <summary>A record that senders discard: bad version, several records, bad or missing rua.</summary>
    public const string Invalid = "TLSRPT_INVALID";
}
