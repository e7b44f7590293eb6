namespace MailHealth.Dmarc;

/// <summary>A Domain Owner Assessment Policy (RFC 9989 section 4.7, p/sp/np). Ordered: higher is stricter.</summary>
public enum DmarcPolicy
{
    None = 0,
    Quarantine = 1,
    Reject = 2,
}
