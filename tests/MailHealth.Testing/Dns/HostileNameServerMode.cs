namespace MailHealth.Testing.Dns;

/// <summary>How a <see cref="HostileNameServer"/> misbehaves.</summary>
public enum HostileNameServerMode
{
    /// <summary>Reads every query and never answers (a firewall that drops, a dead server).</summary>
    Drop,

    /// <summary>Answers every query with RCODE 2, SERVFAIL.</summary>
    ServFail,

    /// <summary>Answers every query with RCODE 5, REFUSED.</summary>
    Refused,

    /// <summary>Answers with the query's id followed by random bytes.</summary>
    Garbage,

    /// <summary>A NOERROR answer that claims three TXT records and stops in the middle of the first.</summary>
    Malformed,

    /// <summary>Sets TC (truncated) over UDP so the client retries over TCP, where the connection is closed at once.</summary>
    TruncatedThenClosed,
}
