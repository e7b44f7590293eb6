namespace MailHealth.Blocklists;

/// <summary>The kinds of question a zone may answer, each with its own RFC 5782 section 5 test entries.</summary>
public enum ZoneTestFamily
{
    /// <summary>127.0.0.2 listed, 127.0.0.1 not.</summary>
    Ipv4,

    /// <summary>::FFFF:7F00:2 listed, ::FFFF:7F00:1 not.</summary>
    Ipv6,

    /// <summary>"test" listed, "invalid" not.</summary>
    Domain,
}
