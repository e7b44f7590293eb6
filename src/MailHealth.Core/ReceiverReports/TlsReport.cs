namespace MailHealth.ReceiverReports;

/// <summary>
/// An SMTP TLS report (RFC 8460 section 4.4), normalised: the sending organisation's sessions to
/// one policy domain's MX hosts, per policy applied, with the failures by kind.
/// </summary>
public sealed record TlsReport
{
    public required string OrgName { get; init; }

    public required string ReportId { get; init; }

    /// <summary>contact-info; null when absent or JSON null.</summary>
    public string? ContactInfo { get; init; }

    public required DateTimeOffset Begin { get; init; }

    public required DateTimeOffset End { get; init; }

    /// <summary>The policy domain the report is about: the first policy's (RFC 8460 section 5.1 names one per report).</summary>
    public required string PolicyDomain { get; init; }

    public required IReadOnlyList<TlsPolicyResult> Policies { get; init; }
}
