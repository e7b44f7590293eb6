namespace MailHealth.Testing.Reports;

/// <summary>One record of a generated aggregate report, values as the document carries them (null: left out; "": empty).</summary>
public sealed record AggregateRow
{
    public string? SourceIp { get; init; } = "192.0.2.1";

    public string? Count { get; init; } = "1";

    public string? Disposition { get; init; } = "none";

    public string? Dkim { get; init; } = "pass";

    public string? Spf { get; init; } = "pass";

    public IReadOnlyList<(string Type, string? Comment)> Reasons { get; init; } = [];

    public string? HeaderFrom { get; init; } = "example.com";

    public string? EnvelopeTo { get; init; }

    public string? EnvelopeFrom { get; init; }

    public IReadOnlyList<DkimSignatureResult> DkimResults { get; init; } = [];

    public IReadOnlyList<SpfCheckResult> SpfResults { get; init; } = [];

    /// <summary>Written at the end of the record as given (an RFC 9990 extension element).</summary>
    public string? Extension { get; init; }
}

/// <summary>An auth_results dkim element to generate.</summary>
public sealed record DkimSignatureResult(string? Domain, string? Selector, string? Result, string? HumanResult = null);

/// <summary>An auth_results spf element to generate.</summary>
public sealed record SpfCheckResult(string? Domain, string? Result, string? Scope = null);
