namespace MailHealth.Blocklists;

/// <summary>Whether a zone's answers of one family can be used this run.</summary>
public enum ZoneState
{
    /// <summary>The test entry is listed and the must-not-list entry is not.</summary>
    Usable,

    /// <summary>Timed out, failed, or its test entries are wrong (DNSBL_ZONE_UNRESPONSIVE).</summary>
    Unresponsive,

    /// <summary>It answers the test entry with an error code (DNSBL_QUERY_REFUSED): it refuses us.</summary>
    Refused,
}
