using DnsClient;

namespace MailHealth.Dns;

/// <summary>What a question with checking disabled got: the response code, and when the first RRSIG over the asked type expires (null when unsigned or unread).</summary>
public sealed record CheckingDisabledAnswer(DnsHeaderResponseCode Code, DateTimeOffset? SignaturesExpire);
