namespace MailHealth.Blocklists;

/// <summary>Findings of the <c>dnsbl</c> checks (RFC 5782 DNS blocklists).</summary>
public static class BlocklistFindingCodes
{
    /// <summary>An address or the domain is listed; evidence has the zone, the return code, its meaning and the TXT reason.</summary>
    public const string Listed = "DNSBL_LISTED";

    /// <summary>The zone answered with an error code (such as Spamhaus 127.255.255.254) instead of a listing.</summary>
    public const string QueryRefused = "DNSBL_QUERY_REFUSED";

    /// <summary>The zone timed out or failed, or its RFC 5782 section 5 test entries are wrong.</summary>
    public const string ZoneUnresponsive = "DNSBL_ZONE_UNRESPONSIVE";
}
