using System.Text.Json.Nodes;

namespace MailHealth.Testing.Reports;

/// <summary>
/// An SMTP TLS report to generate (RFC 8460 section 4.4). Values are JSON nodes where senders
/// differ in kind (mx-host a string or an array, contact-info a string or null, a count a number
/// or a string); a null node leaves the field out. <see cref="TlsReportJson"/> writes it.
/// </summary>
public sealed record TlsReportSpec
{
    public JsonNode? OrganizationName { get; init; } = "example.net";

    public string? StartDatetime { get; init; }

    public string? EndDatetime { get; init; }

    /// <summary>The contact-info field; with <see cref="ContactInfoNull"/> it is written as JSON null.</summary>
    public JsonNode? ContactInfo { get; init; } = "tls-reports@example.net";

    public bool ContactInfoNull { get; init; }

    public JsonNode? ReportId { get; init; } = "1";

    public IReadOnlyList<TlsPolicySpec> Policies { get; init; } = [];

    /// <summary>Fields no version of RFC 8460 defines, written at the top level.</summary>
    public IReadOnlyDictionary<string, JsonNode?> Extra { get; init; } = new Dictionary<string, JsonNode?>();

    /// <summary>This report for the UTC day that starts at <paramref name="day"/>, written as RFC 3339 in UTC.</summary>
    public TlsReportSpec ForDay(DateTimeOffset day) => this with
    {
        StartDatetime = day.UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture),
        EndDatetime = day.AddDays(1).AddSeconds(-1).UtcDateTime.ToString("yyyy-MM-dd'T'HH:mm:ss'Z'", System.Globalization.CultureInfo.InvariantCulture),
    };
}

/// <summary>One entry of policies.</summary>
public sealed record TlsPolicySpec
{
    public string? PolicyType { get; init; } = "sts";

    public IReadOnlyList<string> PolicyStrings { get; init; } = ["version: STSv1", "mode: enforce", "mx: mx1.example.com", "max_age: 604800"];

    public string? PolicyDomain { get; init; } = "example.com";

    /// <summary>A string or an array of strings; null leaves it out.</summary>
    public JsonNode? MxHost { get; init; }

    public JsonNode? Successful { get; init; } = 100;

    public JsonNode? Failed { get; init; } = 0;

    public IReadOnlyList<TlsFailureSpec> Failures { get; init; } = [];
}

/// <summary>One failure-details entry; null leaves a field out.</summary>
public sealed record TlsFailureSpec
{
    public string? ResultType { get; init; } = "certificate-expired";

    public string? SendingMtaIp { get; init; }

    public string? ReceivingMxHostname { get; init; }

    public string? ReceivingIp { get; init; }

    public JsonNode? FailedSessions { get; init; } = 1;

    public string? FailureReasonCode { get; init; }
}
