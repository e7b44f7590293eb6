namespace MailHealth.ReverseDns;

/// <summary>Findings of the <c>ptr:IP</c> checks.</summary>
public static class ReverseDnsFindingCodes
{
    /// <summary>The address has no PTR record.</summary>
    public const string PtrMissing = "PTR_MISSING";

    /// <summary>No PTR name of the address resolves back to it (FCrDNS).</summary>
    public const string PtrNotForwardConfirmed = "PTR_NOT_FORWARD_CONFIRMED";

    /// <summary>The SMTP greeting's hostname is neither a PTR name of the address nor the host's name.</summary>
    public const string SmtpGreetingHostnameMismatch = "SMTP_GREETING_HOSTNAME_MISMATCH";
}
