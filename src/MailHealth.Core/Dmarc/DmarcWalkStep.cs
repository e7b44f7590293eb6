using MailHealth.Dns;

namespace MailHealth.Dmarc;

/// <summary>One query of the tree walk: the name asked, the answer, and the TXT records parsed.</summary>
public sealed record DmarcWalkStep(string Domain, DnsAnswer Answer, IReadOnlyList<DmarcRecord> Parsed)
{
    /// <summary>The TXT records that are DMARC Policy Records (v=DMARC1 first).</summary>
    public IReadOnlyList<DmarcRecord> PolicyRecords => [.. Parsed.Where(r => r.IsPolicyRecord)];

    /// <summary>The record found here, when there is exactly one (RFC 9989 section 4.10 step 2: several are all discarded).</summary>
    public DmarcRecord? Record => PolicyRecords is [var single] ? single : null;

    public bool HasMultipleRecords => PolicyRecords.Count > 1;

    /// <summary>TXT records meant as DMARC that receivers discard (v= not first, wrong version).</summary>
    public IReadOnlyList<DmarcRecord> NearMisses => [.. Parsed.Where(r => r.LooksLikeDmarc)];

    public object ToEvidence() => new Dictionary<string, object?>
    {
        ["name"] = DmarcTreeWalk.RecordName(Domain),
        ["answer"] = Answer.Describe(),
        ["records"] = Parsed.Count > 0 ? Parsed.Select(r => r.Text).ToList() : null,
        ["dmarcRecords"] = PolicyRecords.Count,
    };
}
