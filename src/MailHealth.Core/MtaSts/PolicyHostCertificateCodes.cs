using MailHealth.Smtp;

namespace MailHealth.MtaSts;

/// <summary>
/// The certificate codes an SMTP certificate is reported with, reused for the policy host
/// (subject <c>mta-sts.DOMAIN:443</c>): alerts key on the same code.
/// </summary>
public static class PolicyHostCertificateCodes
{
    public const string Expired = SmtpFindingCodes.CertExpired;
    public const string ExpiresSoon = SmtpFindingCodes.CertExpiresSoon;
    public const string Untrusted = SmtpFindingCodes.CertUntrusted;
    public const string NameMismatch = SmtpFindingCodes.CertNameMismatch;
}
