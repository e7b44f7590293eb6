using DnsClient.Protocol;

namespace MailHealth.Dns;

/// <summary>
/// The answer to one DNS question, errors included: a SERVFAIL or a timeout is data that a check
/// turns into a finding, never an exception.
/// </summary>
public sealed record DnsAnswer(
    string Name,
    string Type,
    DnsOutcome Outcome,
    IReadOnlyList<DnsResourceRecord> Records,
    bool Authenticated = false,
    string? Error = null)
{
    /// <summary>
    /// The name the answer's records belong to when the asked name is an alias: the target of the
    /// CNAME chain the server followed (RFC 1034 section 3.6.2); null when it is not an alias.
    /// </summary>
    public string? CanonicalName { get; init; }

    /// <summary>The RRSIG records over the asked type that came with the answer (the DO bit is set).</summary>
    public IReadOnlyList<RRSigRecord> Signatures { get; init; } = [];

    /// <summary>How long the answer may be kept: its TTL, or for a negative answer the SOA's (RFC 2308). Zero: not to be kept.</summary>
    internal TimeSpan Lifetime { get; init; }

    /// <summary>
    /// Answered by a caching resolver: recursion available (RA) and not given with authority (AA),
    /// so the resolver holds it for its TTL. An authoritative server's answer (AA, or no RA) is
    /// the zone as it is now.
    /// </summary>
    internal bool FromResolver { get; init; }

    /// <summary>True when the question was answered (records, no data, or no such name).</summary>
    public bool Answered => Outcome is DnsOutcome.Success or DnsOutcome.NoData or DnsOutcome.NxDomain;

    /// <summary>True for NoData and NxDomain: the name has nothing of that type.</summary>
    public bool IsEmpty => Outcome is DnsOutcome.NoData or DnsOutcome.NxDomain;

    public IEnumerable<T> Of<T>()
        where T : DnsResourceRecord => Records.OfType<T>();

    /// <summary>
    /// Each TXT record's strings joined without separator, as RFC 7208 section 3.3 and
    /// RFC 6376 section 3.6.2.2 require for records split into several strings.
    /// </summary>
    public IReadOnlyList<string> TxtRecords() => [.. Of<TxtRecord>().Select(r => string.Concat(r.Text))];

    /// <summary>Finding code for an answer that could not be had: DNS_TIMEOUT or DNS_SERVFAIL.</summary>
    public string? FailureCode => Outcome switch
    {
        DnsOutcome.Timeout => DnsFindingCodes.Timeout,
        DnsOutcome.ServerFailure or DnsOutcome.Failure => DnsFindingCodes.ServFail,
        _ => null,
    };

    /// <summary>
    /// What a report adds to a failed lookup: for a SERVFAIL, that a validating resolver gives
    /// one for every name of a zone whose DNSSEC chain is broken (RFC 4035 section 5.5), and that
    /// the dnssec check judges it; otherwise nothing. Without it a bogus zone reads as a report
    /// full of unexplained errors.
    /// </summary>
    public string FailureHint => Outcome == DnsOutcome.ServerFailure
        ? " (a validating resolver also answers SERVFAIL when the zone's DNSSEC chain is broken: the dnssec check says whether it is)"
        : "";

    /// <summary>One line for a report: "TXT example.com: timed out".</summary>
    public string Describe() => Outcome switch
    {
        DnsOutcome.Success => $"{Type} {Name}: {Records.Count} record(s)",
        DnsOutcome.NoData => $"{Type} {Name}: no record",
        DnsOutcome.NxDomain => $"{Type} {Name}: no such name (NXDOMAIN)",
        DnsOutcome.Timeout => $"{Type} {Name}: no answer in time",
        _ => $"{Type} {Name}: {Error ?? "server failure"}",
    };
}
