namespace MailHealth.Testing.Dns;

/// <summary>
/// How a <see cref="ScriptedDnsServer"/> misbehaves for a name (<see cref="ScriptedZone.Fault"/>) or
/// for every name (<see cref="ScriptedDnsServer.Start(DnsFault, System.Net.IPAddress?, int)"/>): the
/// dead, broken and rude servers a check must turn into an <c>error</c> result in bounded time.
/// </summary>
public enum DnsFault
{
    /// <summary>Reads the query and never answers (a firewall that drops, a dead server, a blocklist that went away).</summary>
    Drop,

    /// <summary>Answers with RCODE 2, SERVFAIL (RFC 1035 section 4.1.1).</summary>
    ServerFailure,

    /// <summary>Answers with RCODE 5, REFUSED.</summary>
    Refused,

    /// <summary>Answers with the query's id and a header claiming records, followed by bytes that are no records.</summary>
    Garbage,

    /// <summary>A NOERROR answer that claims three TXT records and stops in the middle of the first.</summary>
    Malformed,

    /// <summary>Answers with three bytes: less than a DNS header, not even the query's id.</summary>
    ShortReply,

    /// <summary>Sets TC (truncated) over UDP so the client retries over TCP, where the connection is closed unanswered.</summary>
    TruncatedThenClosed,
}
