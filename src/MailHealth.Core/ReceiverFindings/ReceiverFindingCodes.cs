namespace MailHealth.ReceiverFindings;

/// <summary>Findings of the <c>receivers</c> check: what receivers' reports say of a domain (docs/findings.md, "Receivers' reports").</summary>
public static class ReceiverFindingCodes
{
    /// <summary>A source fails DMARC, nothing of the domain authorises it, and it sends more than the threshold a day: someone sends as the domain.</summary>
    public const string UnknownSender = "DMARC_UNKNOWN_SENDER";

    /// <summary>A source the domain's SPF authorises, or that signs with the domain's DKIM, whose mail still fails DMARC.</summary>
    public const string BrokenSender = "DMARC_AUTHORISED_SENDER_FAILING";

    /// <summary>The domain's rua names a mailbox this monitor reads, and no aggregate report arrived for days.</summary>
    public const string ReportsMissing = "DMARC_REPORTS_MISSING";

    /// <summary>Receivers' TLS reports count failed sessions to an MX host.</summary>
    public const string TlsFailuresReported = "TLSRPT_FAILURES_REPORTED";

    /// <summary>p=none with a stable aligned share above the threshold for the whole window: ready to enforce.</summary>
    public const string ReadyToEnforce = "DMARC_READY_TO_ENFORCE";
}
