namespace MailHealth.MtaSts;

/// <summary>
/// The certificate codes an SMTP certificate is reported with, reused for the policy host
/// (subject <c>mta-sts.DOMAIN:443</c>). Same strings as the SMTP check's: alerts key on the code.
/// </summary>
public static class PolicyHostCertificateCodes
{
    public const string Expired = "TLS_CERT_EXPIRED";
    public const string ExpiresSoon = "TLS_CERT_EXPIRES_SOON";
    public const string Untrusted = "TLS_CERT_UNTRUSTED";
    public const string NameMismatch = "TLS_CERT_NAME_MISMATCH";
}
