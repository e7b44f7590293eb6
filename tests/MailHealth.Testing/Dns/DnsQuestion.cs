namespace MailHealth.Testing.Dns;

/// <summary>The question of a query (RFC 1035 section 4.1.2) and where it ends in the message.</summary>
internal sealed record DnsQuestion(string Name, ushort Type, int End);
