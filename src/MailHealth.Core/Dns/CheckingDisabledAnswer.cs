using DnsClient;

namespace MailHealth.Dns;

/// <summary>What a question with checking disabled got: the response code, and when the RRSIGs over the asked type expire (none when unsigned or unread).</summary>
public sealed record CheckingDisabledAnswer(DnsHeaderResponseCode Code, IReadOnlyList<DateTimeOffset> SignatureExpirations);
