namespace MailHealth.MtaSts;

/// <summary>The policy's mode (RFC 8461 section 5).</summary>
public enum MtaStsMode
{
    /// <summary>Senders refuse delivery to an MX that fails validation.</summary>
    Enforce,

    /// <summary>Senders deliver anyway and report failures (TLS-RPT).</summary>
    Testing,

    /// <summary>No MTA-STS: used to withdraw a policy.</summary>
    None,
}
