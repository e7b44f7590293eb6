namespace MailHealth.ReceiverReports;

/// <summary>
/// policy_published: the DMARC policy the receiver applied, values in lower case as the record
/// writes them (RFC 9989 section 4.7); null where the report leaves a tag out.
/// </summary>
public sealed record AggregatePolicy
{
    /// <summary>The DMARC Policy Domain, in lower case.</summary>
    public required string Domain { get; init; }

    /// <summary>RFC 9990: <c>psl</c> or <c>treewalk</c>.</summary>
    public string? DiscoveryMethod { get; init; }

    public string? P { get; init; }

    public string? Sp { get; init; }

    /// <summary>RFC 9990: the policy for non-existent subdomains.</summary>
    public string? Np { get; init; }

    /// <summary>RFC 7489 only (historic since RFC 9989).</summary>
    public int? Pct { get; init; }

    public string? Fo { get; init; }

    public string? Adkim { get; init; }

    public string? Aspf { get; init; }

    /// <summary>RFC 9990: the t= tag, <c>y</c> or <c>n</c>.</summary>
    public string? Testing { get; init; }
}
