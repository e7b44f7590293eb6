using System.Net;

namespace MailHealth.ReceiverReports;

/// <summary>One failure-details entry (RFC 8460 sections 4.3 and 4.4): sessions that failed one way, with what is known of them.</summary>
public sealed record TlsFailureDetail
{
    /// <summary>certificate-expired, starttls-not-supported, sts-policy-fetch-error... in lower case.</summary>
    public required string ResultType { get; init; }

    /// <summary>Null when the report gives none (or none that is an address).</summary>
    public IPAddress? SendingMtaIp { get; init; }

    public string? ReceivingMxHostname { get; init; }

    public string? ReceivingMxHelo { get; init; }

    public IPAddress? ReceivingIp { get; init; }

    public required long FailedSessions { get; init; }

    public string? AdditionalInformation { get; init; }

    public string? FailureReasonCode { get; init; }
}
