using System.Globalization;
using MailHealth.Checks;

namespace MailHealth.Smtp;

/// <summary>
/// The TLS_CERT_* findings of a presented certificate, for every server that presents one: an
/// SMTP port, or the MTA-STS policy host (one set of rules, so alerts key on the same codes).
/// </summary>
public static class CertificateFindings
{
    /// <param name="result">Where the findings go.</param>
    /// <param name="cert">The certificate as <see cref="CertificateInspector"/> judged it.</param>
    /// <param name="options">The expiry thresholds.</param>
    /// <param name="nameAndTrust">
    /// Severity of a name or trust problem: critical where clients check them (submission, HTTPS);
    /// a warning on port 25, where senders use TLS opportunistically and do not (RFC 7435).
    /// </param>
    /// <param name="dnsIdOnly">Match the name against DNS-IDs only, never the subject CN (RFC 8461 section 3.3).</param>
    /// <param name="subject">The findings' subject; the check's own when null.</param>
    /// <param name="consequence">What a hard failure means to the clients, appended to its message.</param>
    public static void Add(
        CheckResultBuilder result,
        CertificateReport cert,
        CheckOptions options,
        Severity nameAndTrust,
        bool dnsIdOnly = false,
        string? subject = null,
        string consequence = "")
    {
        ArgumentNullException.ThrowIfNull(result);
        ArgumentNullException.ThrowIfNull(cert);
        ArgumentNullException.ThrowIfNull(options);
        var evidence = cert.ToEvidence();

        if (cert.Expired)
        {
            result.Add(SmtpFindingCodes.CertExpired, Severity.Critical,
                $"the certificate expired on {Day(cert.NotAfter)} ({-cert.DaysLeft} days ago){consequence}", evidence, subject);
        }
        else if (cert.NotYetValid)
        {
            // Chain building ignores dates; a chain that is otherwise trusted is still refused now.
            if (cert.Trusted)
            {
                result.Add(SmtpFindingCodes.CertUntrusted, nameAndTrust,
                    $"the certificate is not valid before {Day(cert.NotBefore)}{consequence}", evidence, subject);
            }
        }
        else if (cert.DaysLeft < options.CertificateCriticalDays)
        {
            result.Add(SmtpFindingCodes.CertExpiresSoon, Severity.Critical,
                $"the certificate expires on {Day(cert.NotAfter)}, in {cert.DaysLeft} days", evidence, subject);
        }
        else if (cert.DaysLeft < options.CertificateWarningDays)
        {
            result.Add(SmtpFindingCodes.CertExpiresSoon, Severity.Warning,
                $"the certificate expires on {Day(cert.NotAfter)}, in {cert.DaysLeft} days", evidence, subject);
        }

        if (!(dnsIdOnly ? cert.DnsIdMatches : cert.NameMatches))
        {
            var names = cert.DnsNames.Count > 0 ? string.Join(", ", cert.DnsNames) : cert.Subject;
            result.Add(SmtpFindingCodes.CertNameMismatch, nameAndTrust,
                $"the certificate does not cover {cert.HostName} (it names {names}){consequence}", evidence, subject);
        }

        if (!cert.Trusted)
        {
            var why = cert.ChainStatus.Count > 0 ? string.Join("; ", cert.ChainStatus) : "no chain to a trusted root";
            result.Add(SmtpFindingCodes.CertUntrusted, nameAndTrust,
                $"the certificate chain does not lead to a trusted root: {why}{consequence}", evidence, subject);
        }
    }

    private static string Day(DateTimeOffset when) => when.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);
}
