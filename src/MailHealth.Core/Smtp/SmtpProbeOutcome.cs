using System.Net;
using MailHealth.Checks;
using MailHealth.Targets;

namespace MailHealth.Smtp;

/// <summary>
/// What one SMTP probe of one host and port saw, for the checks that build on it (DANE matches
/// the certificate chain, reverse DNS compares the greeting name) besides its own result.
/// </summary>
public sealed record SmtpProbeOutcome
{
    public required MailHost Host { get; init; }

    public required PortSpec Port { get; init; }

    /// <summary>The address the probe connected to; null when no connection was made.</summary>
    public IPAddress? Address { get; init; }

    /// <summary>The first word of the 220 greeting, which RFC 5321 section 4.2 says is the server's name.</summary>
    public string? GreetingHostname { get; init; }

    /// <summary>True when a TLS session was established (STARTTLS or implicit).</summary>
    public bool TlsEstablished { get; init; }

    /// <summary>The chain the server presented, leaf first, DER encoded. Empty without TLS.</summary>
    public IReadOnlyList<byte[]> CertificateChain { get; init; } = [];

    /// <summary>What the probe made of the leaf certificate (trust, names, dates); null without TLS.</summary>
    public CertificateReport? Certificate { get; init; }

    /// <summary>True when the port timed out on connect (for telling blocked egress from a down host).</summary>
    public bool ConnectTimedOut { get; init; }

    public required CheckResult Result { get; init; }

    /// <summary>
    /// The probe connected and was not cut short on our side (its result is not <c>error</c>), so
    /// what it did not see (TLS, say) is the server's doing, not ours.
    /// </summary>
    public bool ReachedServer => Address is not null && Result.Status != CheckStatus.Error;
}
