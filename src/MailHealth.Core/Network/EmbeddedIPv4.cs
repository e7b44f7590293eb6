namespace MailHealth.Network;

/// <summary>
/// Where an IPv6 range carries an IPv4 address that a connection to it ends up reaching, so the
/// policy judges that address too: an IPv6 form must not smuggle an address the IPv4 rules refuse.
/// </summary>
public enum EmbeddedIPv4
{
    None,

    /// <summary>The last 32 bits: IPv4-compatible (RFC 4291 section 2.5.5.1), NAT64 with a /96 prefix (RFC 6052 section 2.2).</summary>
    Last32Bits,

    /// <summary>Bits 16-47: the 6to4 router's IPv4 address (RFC 3056 section 2).</summary>
    SixToFour,

    /// <summary>The last 32 bits inverted: the Teredo client's IPv4 address (RFC 4380 section 4).</summary>
    TeredoClient,
}
