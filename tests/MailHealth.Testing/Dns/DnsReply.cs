namespace MailHealth.Testing.Dns;

/// <summary>What the test server does with one query: send a message, stay silent, or (over TCP) hang up.</summary>
internal readonly record struct DnsReply(byte[]? Message, bool HangUp)
{
    public static DnsReply Silence => default;

    public static DnsReply Close => new(null, HangUp: true);

    public static DnsReply Send(byte[] message) => new(message, HangUp: false);
}
