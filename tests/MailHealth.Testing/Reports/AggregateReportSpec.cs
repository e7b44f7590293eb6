using System.Globalization;

namespace MailHealth.Testing.Reports;

/// <summary>
/// A DMARC aggregate report to generate, every value as the document will carry it (so a test can
/// write "PASS", an empty element or a count that is no number): null leaves an element out, ""
/// writes it empty. <see cref="AggregateXml"/> writes it; <see cref="Reporters"/> fills it in the
/// shapes receivers send.
/// </summary>
public sealed record AggregateReportSpec
{
    public string XmlDeclaration { get; init; } = "<?xml version=\"1.0\" encoding=\"UTF-8\" ?>";

    /// <summary>The default namespace of the root: null for none (RFC 7489), or RFC 9990's.</summary>
    public string? Namespace { get; init; }

    /// <summary>Further attributes of the root, written as given (namespace declarations).</summary>
    public string? RootAttributes { get; init; }

    public string? Version { get; init; } = "1.0";

    public string? OrgName { get; init; } = "example.net";

    public string? Email { get; init; } = "dmarc-reports@example.net";

    public string? ExtraContactInfo { get; init; }

    public string? ReportId { get; init; } = "1";

    public string? Begin { get; init; }

    public string? End { get; init; }

    public IReadOnlyList<string> Errors { get; init; } = [];

    public string? Generator { get; init; }

    /// <summary>Whether policy_published is written at all.</summary>
    public bool WritePolicy { get; init; } = true;

    public string? Domain { get; init; } = "example.com";

    public string? DiscoveryMethod { get; init; }

    public string? Adkim { get; init; } = "r";

    public string? Aspf { get; init; } = "r";

    public string? P { get; init; } = "none";

    public string? Sp { get; init; }

    public string? Np { get; init; }

    public string? Pct { get; init; }

    public string? Fo { get; init; }

    public string? Testing { get; init; }

    /// <summary>Written inside the root after policy_published, as given (RFC 9990's &lt;extension&gt;, or unknown elements).</summary>
    public string? AfterPolicy { get; init; }

    public IEnumerable<AggregateRow> Rows { get; init; } = [];

    /// <summary>Line breaks and indentation between elements, as most receivers write.</summary>
    public bool Indented { get; init; } = true;

    /// <summary>Seconds since the epoch, as date_range carries a time.</summary>
    public static string Epoch(DateTimeOffset time) => time.ToUnixTimeSeconds().ToString(CultureInfo.InvariantCulture);

    /// <summary>This report for the UTC day that starts at <paramref name="day"/> (begin 00:00:00, end 23:59:59).</summary>
    public AggregateReportSpec ForDay(DateTimeOffset day) => this with { Begin = Epoch(day), End = Epoch(day.AddDays(1).AddSeconds(-1)) };
}
