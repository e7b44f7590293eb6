using System.Globalization;
using MailHealth.Checks;
using MailHealth.Smtp;

namespace MailHealth.MtaSts;

/// <summary>
/// The policy host's certificate reported like an SMTP certificate (subject <c>HOST:443</c>). An
/// invalid one is critical: senders then cannot fetch the policy (RFC 8461 section 3.3).
/// </summary>
public static class PolicyHostCertificateFindings
{
    public static void Add(CheckResultBuilder result, CertificateReport cert, string subject, CheckOptions options)
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(cert);
        ArgumentNullException.ThrowIfNull(options);
        var evidence = cert.ToEvidence();
        result.Metric("certificateDaysLeft", cert.DaysLeft);

        if (!cert.Trusted)
        {
            var why = cert.ChainStatus.Count > 0 ? string.Join("; ", cert.ChainStatus) : "no chain to a trusted root";
            result.Add(PolicyHostCertificateCodes.Untrusted, Severity.Critical,
                $"the certificate of {subject} does not chain to a trusted root ({why}); senders will not fetch the policy",
                evidence, subject);
        }

        if (!cert.NameMatches)
        {
            result.Add(PolicyHostCertificateCodes.NameMismatch, Severity.Critical,
                $"the certificate of {subject} (names: {string.Join(", ", cert.DnsNames)}) is not valid for {cert.HostName}; senders will not fetch the policy",
                evidence, subject);
        }

        if (cert.Expired)
        {
            result.Add(PolicyHostCertificateCodes.Expired, Severity.Critical,
                $"the certificate of {subject} expired on {Day(cert.NotAfter)}; senders will not fetch the policy",
                evidence, subject);
        }
        else if (cert.NotYetValid)
        {
            if (cert.Trusted)
            {
                result.Add(PolicyHostCertificateCodes.Untrusted, Severity.Critical,
                    $"the certificate of {subject} is not valid before {Day(cert.NotBefore)}; senders will not fetch the policy",
                    evidence, subject);
            }
        }
        else if (cert.DaysLeft < options.CertificateCriticalDays)
        {
            result.Add(PolicyHostCertificateCodes.ExpiresSoon, Severity.Critical,
                $"the certificate of {subject} expires on {Day(cert.NotAfter)} ({cert.DaysLeft} days left)", evidence, subject);
        }
        else if (cert.DaysLeft < options.CertificateWarningDays)
        {
            result.Add(PolicyHostCertificateCodes.ExpiresSoon, Severity.Warning,
                $"the certificate of {subject} expires on {Day(cert.NotAfter)} ({cert.DaysLeft} days left)", evidence, subject);
        }
    }

    private static string Day(DateTimeOffset when) => when.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);
}
