namespace MailHealth.Blocklists;

/// <summary>What one blocklist said about one address or domain.</summary>
public enum BlocklistVerdict
{
    /// <summary>NXDOMAIN (or no A record): not listed.</summary>
    NotListed,

    /// <summary>At least one return code that is a listing.</summary>
    Listed,

    /// <summary>Only error codes: the zone refused the question. Never a listing.</summary>
    Refused,

    /// <summary>No usable answer: timeout, SERVFAIL, garbage.</summary>
    Failed,
}
