using MailHealth.Dns;

namespace MailHealth.Blocklists;

/// <summary>One blocklist question and its interpreted answer.</summary>
/// <param name="Zone">The zone asked.</param>
/// <param name="Query">The full name asked, such as 2.0.0.127.zen.spamhaus.org.</param>
/// <param name="Verdict">What the answer means.</param>
/// <param name="Codes">The A records, interpreted (listings and error codes).</param>
/// <param name="Reason">The TXT record(s) of a listing or a refusal, joined; null when none.</param>
/// <param name="Dns">The raw DNS answer to the A question.</param>
public sealed record BlocklistAnswer(
    BlocklistZone Zone,
    string Query,
    BlocklistVerdict Verdict,
    IReadOnlyList<ReturnCode> Codes,
    string? Reason,
    DnsAnswer Dns)
{
    public IEnumerable<ReturnCode> Listings => Codes.Where(c => !c.IsError);

    public IEnumerable<ReturnCode> Errors => Codes.Where(c => c.IsError);
}
