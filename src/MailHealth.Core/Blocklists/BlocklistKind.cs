namespace MailHealth.Blocklists;

/// <summary>What a blocklist zone lists (RFC 5782 section 2).</summary>
public enum BlocklistKind
{
    /// <summary>IP addresses, asked as reversed octets or nibbles (RFC 5782 sections 2.1 and 2.4).</summary>
    Ip,

    /// <summary>Domain names, asked as the name itself under the zone (RFC 5782 section 2.3).</summary>
    Domain,
}
