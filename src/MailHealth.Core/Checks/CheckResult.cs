namespace MailHealth.Checks;

/// <summary>The result of one check with a stable id, such as <c>smtp:mx1.example.com:25</c> or <c>spf</c>.</summary>
public sealed record CheckResult
{
    public required string Id { get; init; }

    /// <summary>The kind of check: smtp, mx, spf, dkim, dmarc, mta-sts, tls-rpt, dane, ptr, dnsbl.</summary>
    public required string Kind { get; init; }

    /// <summary>What was checked: a host:port, a domain, an IP, a selector.</summary>
    public required string Subject { get; init; }

    public required CheckStatus Status { get; init; }

    public required long DurationMs { get; init; }

    /// <summary>Numbers worth graphing: stage durations in ms, days left, lookup counts.</summary>
    public IReadOnlyDictionary<string, double> Metrics { get; init; } = new Dictionary<string, double>();

    /// <summary>The raw material needed to act: banner, EHLO lines, record text, parsed records.</summary>
    public IReadOnlyDictionary<string, object?> Evidence { get; init; } = new Dictionary<string, object?>();

    public IReadOnlyList<Finding> Findings { get; init; } = [];

    /// <summary>Why the check could not run, when <see cref="Status"/> is <see cref="CheckStatus.Error"/>.</summary>
    public string? Error { get; init; }
}
