namespace MailHealth.ReceiverReports;

/// <summary>One entry of a TLS report's policies: the policy applied and the sessions under it (RFC 8460 section 4.4).</summary>
public sealed record TlsPolicyResult
{
    /// <summary>tlsa, sts or no-policy-found, in lower case.</summary>
    public required string PolicyType { get; init; }

    public required string PolicyDomain { get; init; }

    /// <summary>policy-string: the MTA-STS policy's lines or the TLSA records.</summary>
    public IReadOnlyList<string> PolicyStrings { get; init; } = [];

    /// <summary>mx-host: the MX patterns of an MTA-STS policy, given as a string or an array.</summary>
    public IReadOnlyList<string> MxHosts { get; init; } = [];

    public required long SuccessfulSessions { get; init; }

    public required long FailedSessions { get; init; }

    public IReadOnlyList<TlsFailureDetail> Failures { get; init; } = [];
}
