using MailHealth.Dns;

namespace MailHealth.Spf;

/// <summary>The "v=spf1" records of one domain (RFC 7208 section 4.4 and 4.5).</summary>
/// <param name="Answer">The TXT answer they came from.</param>
/// <param name="Records">Every TXT record that is an SPF record (strings joined, section 3.3).</param>
public sealed record SpfRecordLookup(DnsAnswer Answer, IReadOnlyList<string> Records)
{
    public static async Task<SpfRecordLookup> FetchAsync(DnsResolver dns, string domain, CancellationToken cancellationToken)
    {
        var answer = await dns.GetTxtAsync(domain, cancellationToken).ConfigureAwait(false);
        var records = answer.Outcome == DnsOutcome.Success
            ? answer.TxtRecords().Where(SpfParser.IsSpfRecord).ToList()
            : [];
        return new SpfRecordLookup(answer, records);
    }

    /// <summary>True when the lookup could not be done (timeout, SERVFAIL): temperror (section 4.4).</summary>
    public bool Failed => !Answer.Answered;
}
