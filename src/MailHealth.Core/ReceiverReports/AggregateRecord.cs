using System.Net;

namespace MailHealth.ReceiverReports;

/// <summary>
/// One record of an aggregate report: messages from one source IP with one set of results.
/// Result words are normalised to lower case (<see cref="AggregateValues"/>).
/// </summary>
public sealed record AggregateRecord
{
    /// <summary>An IPv4-mapped IPv6 address is given as the IPv4 address, so one source has one form.</summary>
    public required IPAddress SourceIp { get; init; }

    public required long Count { get; init; }

    /// <summary>policy_evaluated: none, quarantine or reject.</summary>
    public required string Disposition { get; init; }

    /// <summary>policy_evaluated: the DMARC-aligned DKIM result, pass or fail.</summary>
    public required string Dkim { get; init; }

    /// <summary>policy_evaluated: the DMARC-aligned SPF result, pass or fail.</summary>
    public required string Spf { get; init; }

    /// <summary>policy_evaluated reason elements: why the disposition differs from the policy.</summary>
    public IReadOnlyList<PolicyOverrideReason> Reasons { get; init; } = [];

    /// <summary>identifiers: the RFC 5322 From domain; null when the report leaves it out.</summary>
    public string? HeaderFrom { get; init; }

    /// <summary>identifiers: the MAIL FROM domain; empty for the null reverse-path, null when absent.</summary>
    public string? EnvelopeFrom { get; init; }

    public string? EnvelopeTo { get; init; }

    /// <summary>auth_results: each DKIM signature verified, uninterpreted with respect to DMARC.</summary>
    public IReadOnlyList<DkimAuthResult> DkimResults { get; init; } = [];

    /// <summary>auth_results: the SPF results (one in practice).</summary>
    public IReadOnlyList<SpfAuthResult> SpfResults { get; init; } = [];

    /// <summary>DMARC passed: an aligned DKIM or SPF pass (RFC 9989 section 4.1).</summary>
    public bool DmarcPass => Dkim == AggregateValues.Pass || Spf == AggregateValues.Pass;
}
