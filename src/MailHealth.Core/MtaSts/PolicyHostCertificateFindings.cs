using System.Globalization;
using MailHealth.Checks;

namespace MailHealth.MtaSts;

/// <summary>
/// The policy host's certificate reported like an SMTP certificate (subject <c>HOST:443</c>). An
/// invalid one is critical: senders then cannot fetch the policy (RFC 8461 section 3.3).
/// </summary>
public static class PolicyHostCertificateFindings
{
    public static void Add(CheckResultBuilder result, CertificateInspection cert, string subject, CheckOptions options)
    {
        var evidence = new Dictionary<string, object?>
        {
            ["subject"] = cert.Subject,
            ["issuer"] = cert.Issuer,
            ["notBefore"] = cert.NotBefore,
            ["notAfter"] = cert.NotAfter,
        };
        result.Metric("certificateDaysLeft", Math.Round(cert.DaysLeft, 2));

        if (!cert.Trusted)
        {
            result.Add(PolicyHostCertificateCodes.Untrusted, Severity.Critical,
                $"the certificate of {subject} does not chain to a trusted root ({cert.TrustProblem}); senders will not fetch the policy",
                evidence, subject);
        }

        if (!cert.NameMatches)
        {
            result.Add(PolicyHostCertificateCodes.NameMismatch, Severity.Critical,
                $"the certificate of {subject} ({cert.Subject}) is not valid for {HostOf(subject)}; senders will not fetch the policy",
                evidence, subject);
        }

        if (cert.Expired)
        {
            result.Add(PolicyHostCertificateCodes.Expired, Severity.Critical,
                $"the certificate of {subject} expired on {Day(cert.NotAfter)}; senders will not fetch the policy",
                evidence, subject);
        }
        else if (cert.NotYetValid && cert.Trusted)
        {
            result.Add(PolicyHostCertificateCodes.Untrusted, Severity.Critical,
                $"the certificate of {subject} is not valid before {Day(cert.NotBefore)}; senders will not fetch the policy",
                evidence, subject);
        }
        else if (cert.DaysLeft < Math.Max(options.CertificateCriticalDays, options.CertificateWarningDays))
        {
            var severity = cert.DaysLeft < options.CertificateCriticalDays ? Severity.Critical : Severity.Warning;
            result.Add(PolicyHostCertificateCodes.ExpiresSoon, severity,
                $"the certificate of {subject} expires on {Day(cert.NotAfter)} ({Math.Floor(cert.DaysLeft).ToString(CultureInfo.InvariantCulture)} days left)",
                evidence, subject);
        }
    }

    private static string HostOf(string subject) => subject[..subject.LastIndexOf(':')];

    private static string Day(DateTimeOffset when) => when.ToString("yyyy-MM-dd HH:mm 'UTC'", CultureInfo.InvariantCulture);
}
