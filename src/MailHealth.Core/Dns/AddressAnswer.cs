using System.Net;
using DnsClient.Protocol;

namespace MailHealth.Dns;

/// <summary>The A and AAAA answers for one name.</summary>
public sealed record AddressAnswer(string Name, DnsAnswer V4, DnsAnswer V6)
{
    public IReadOnlyList<IPAddress> Addresses =>
        [.. V4.Of<ARecord>().Select(r => r.Address), .. V6.Of<AaaaRecord>().Select(r => r.Address)];

    /// <summary>Neither family could be asked: the name's addresses are unknown, not absent.</summary>
    public bool Failed => !V4.Answered && !V6.Answered;

    /// <summary>Where the name's CNAME chain ends, as either family's answer saw it; null when the name is no alias.</summary>
    public string? CanonicalName => V4.CanonicalName ?? V6.CanonicalName;

    /// <summary>The answer that failed, for the finding (prefers IPv4's).</summary>
    public DnsAnswer? FailedAnswer => !V4.Answered ? V4 : !V6.Answered ? V6 : null;
}
