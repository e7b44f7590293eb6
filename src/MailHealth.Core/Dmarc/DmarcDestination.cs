using MailHealth.Dns;

namespace MailHealth.Dmarc;

/// <summary>
/// The verification of one external report destination host. <see cref="Authorized"/> is null
/// when the lookup failed and nothing can be said.
/// </summary>
public sealed record DmarcDestination(string Host, string AuthorizationName, bool? Authorized, DnsAnswer? Answer, string Explanation)
{
    public object ToEvidence() => new Dictionary<string, object?>
    {
        ["host"] = Host,
        ["authorizationName"] = AuthorizationName,
        ["authorized"] = Authorized,
        ["explanation"] = Explanation,
    };
}
