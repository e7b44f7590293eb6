namespace MailHealth.Testing.Dns;

/// <summary>What each <see cref="DnsFault"/> sends on the wire.</summary>
internal static class DnsFaultReply
{
    public static DnsReply For(DnsFault fault, byte[] query, int questionEnd, bool overTcp) => fault switch
    {
        DnsFault.ServerFailure => DnsReply.Send(DnsWire.ReplyHeader(query, questionEnd, rcode: 2)),
        DnsFault.Refused => DnsReply.Send(DnsWire.ReplyHeader(query, questionEnd, rcode: 5)),
        DnsFault.Garbage => DnsReply.Send(Garbage(query)),
        DnsFault.Malformed => DnsReply.Send(Malformed(query, questionEnd)),
        DnsFault.ShortReply => DnsReply.Send([0x12, 0x34, 0x81]),
        DnsFault.TruncatedThenClosed => overTcp ? DnsReply.Close : DnsReply.Send(DnsWire.ReplyHeader(query, questionEnd, rcode: 0, truncated: true)),
        _ => DnsReply.Silence,
    };

    // The query id (so the client takes it as the reply), a header claiming one question, five
    // answers and 65535 authority records, then a "question" whose first label length (222) is illegal.
    private static byte[] Garbage(byte[] query) =>
        [query[0], query[1], 0x81, 0x80, 0x00, 0x01, 0x00, 0x05, 0xFF, 0xFF, 0xC0, 0x0C, 0xDE, 0xAD, 0xBE, 0xEF, 0x00];

    // Claims three answers, then starts a TXT record whose RDLENGTH (200) runs past the end.
    private static byte[] Malformed(byte[] query, int questionEnd) =>
        [.. DnsWire.ReplyHeader(query, questionEnd, rcode: 0, answerCount: 3), 0xC0, 0x0C, 0x00, 0x10, 0x00, 0x01, 0x00, 0x00, 0x01, 0x2C, 0x00, 0xC8, 0x05, (byte)'h', (byte)'e'];
}
