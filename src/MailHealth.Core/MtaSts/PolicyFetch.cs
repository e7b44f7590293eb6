using MailHealth.Dns;
using MailHealth.Network;
using MailHealth.Smtp;

namespace MailHealth.MtaSts;

/// <summary>The result of one HTTPS GET of a policy, with what was seen on the way.</summary>
public sealed record PolicyFetch
{
    public required PolicyFetchOutcome Outcome { get; init; }

    /// <summary>One line saying what happened, for the report.</summary>
    public required string Detail { get; init; }

    public required Uri Url { get; init; }

    public int? StatusCode { get; init; }

    /// <summary>The Content-Type header as sent.</summary>
    public string? ContentType { get; init; }

    /// <summary>The Location header of a redirect.</summary>
    public string? Location { get; init; }

    /// <summary>The body, when fetched within the limit.</summary>
    public byte[]? Body { get; init; }

    /// <summary>The certificate as judged during the handshake; null when no handshake got that far.</summary>
    public CertificateReport? Certificate { get; init; }

    /// <summary>The address lookup that could not be had, when <see cref="PolicyFetchOutcome.DnsFailure"/>.</summary>
    public DnsAnswer? DnsFailure { get; init; }

    public IReadOnlyList<string> Addresses { get; init; } = [];

    /// <summary>The host's addresses the address policy refused (docs/address-policy.md); none were connected to.</summary>
    public IReadOnlyList<AddressVerdict> NotAllowed { get; init; } = [];

    public long ElapsedMs { get; init; }
}
