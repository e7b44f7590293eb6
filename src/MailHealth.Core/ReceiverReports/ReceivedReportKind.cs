namespace MailHealth.ReceiverReports;

/// <summary>What a report is: a DMARC aggregate report or an SMTP TLS report.</summary>
public enum ReceivedReportKind
{
    /// <summary>A DMARC aggregate report (RFC 7489 appendix C, RFC 9990): XML.</summary>
    Dmarc,

    /// <summary>An SMTP TLS report (RFC 8460 section 4): JSON.</summary>
    TlsRpt,
}
