namespace MailHealth.ReceiverReports;

/// <summary>
/// report_metadata and the document's version (RFC 7489 appendix C; RFC 9990 adds generator).
/// A report's identity is its organisation, report id, policy domain and date range.
/// </summary>
public sealed record AggregateMetadata
{
    /// <summary>The XML namespace of the report: <c>urn:ietf:params:xml:ns:dmarc-2.0</c> for RFC 9990, null for none.</summary>
    public string? Namespace { get; init; }

    /// <summary>&lt;version&gt;, null when absent (RFC 7489 reports often leave it out).</summary>
    public string? Version { get; init; }

    public required string OrgName { get; init; }

    public string? Email { get; init; }

    public string? ExtraContactInfo { get; init; }

    public required string ReportId { get; init; }

    public required DateTimeOffset Begin { get; init; }

    public required DateTimeOffset End { get; init; }

    /// <summary>&lt;error&gt; elements: problems the receiver had with the domain's DMARC record.</summary>
    public IReadOnlyList<string> Errors { get; init; } = [];

    public string? Generator { get; init; }
}
