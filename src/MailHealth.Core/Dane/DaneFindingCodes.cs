namespace MailHealth.Dane;

/// <summary>Findings of the <c>dane:HOST</c> checks (RFC 7672). Severities are in docs/findings.md.</summary>
public static class DaneFindingCodes
{
    /// <summary>Usable TLSA records exist and none matches the certificate chain port 25 presented.</summary>
    public const string TlsaMismatch = "DANE_TLSA_MISMATCH";

    /// <summary>The TLSA answer was not DNSSEC-authenticated (no AD bit): DANE senders ignore it.</summary>
    public const string NotDnssec = "DANE_NOT_DNSSEC";

    /// <summary>PKIX-TA(0) or PKIX-EE(1) records, which RFC 7672 section 3.1.3 makes unusable for SMTP.</summary>
    public const string TlsaUsageUnusable = "DANE_TLSA_USAGE_UNUSABLE";

    /// <summary>A TLSA record with an unknown usage, selector or matching type, or data of the wrong length.</summary>
    public const string TlsaInvalid = "DANE_TLSA_INVALID";

    /// <summary>Usable TLSA records exist but port 25 offered no TLS: DANE senders will not deliver.</summary>
    public const string TlsUnavailable = "DANE_TLS_UNAVAILABLE";
}
