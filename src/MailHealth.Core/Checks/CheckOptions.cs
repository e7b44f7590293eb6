using System.Security.Cryptography.X509Certificates;

namespace MailHealth.Checks;

/// <summary>Deadlines and trust for one run of checks. Every default is documented in docs/configuration.md.</summary>
public sealed class CheckOptions
{
    /// <summary>TCP connect, per address. Default 10 s.</summary>
    public TimeSpan ConnectTimeout { get; init; } = TimeSpan.FromSeconds(10);

    /// <summary>Waiting for the 220 greeting after connect. Default 30 s (RFC 5321 section 4.5.3.2.1 suggests 5 minutes; a monitor needs an answer).</summary>
    public TimeSpan GreetingTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>A greeting later than this is SMTP_GREETING_SLOW. Default 5 s.</summary>
    public TimeSpan GreetingSlowThreshold { get; init; } = TimeSpan.FromSeconds(5);

    /// <summary>Each command's reply (EHLO, STARTTLS, AUTH, MAIL, RCPT). Default 15 s.</summary>
    public TimeSpan CommandTimeout { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>The TLS handshake. Default 15 s.</summary>
    public TimeSpan TlsTimeout { get; init; } = TimeSpan.FromSeconds(15);

    /// <summary>One whole probe of one host and port, whatever the server does. Default 60 s.</summary>
    public TimeSpan ProbeDeadline { get; init; } = TimeSpan.FromSeconds(60);

    /// <summary>A whole run of one target. Default 3 minutes.</summary>
    public TimeSpan RunDeadline { get; init; } = TimeSpan.FromMinutes(3);

    /// <summary>Fetching the MTA-STS policy over HTTPS, from connect to the last byte. Default 30 s (RFC 8461 section 3.3 suggests at most one minute).</summary>
    public TimeSpan MtaStsPolicyTimeout { get; init; } = TimeSpan.FromSeconds(30);

    /// <summary>How many checks and probes of one target run at once. Default 8.</summary>
    public int MaxConcurrency { get; init; } = 8;

    /// <summary>Name the probe gives in EHLO. Default: "mailhealth.invalid" is avoided; the machine name is used when null.</summary>
    public string? HeloName { get; init; }

    /// <summary>Reverse-path for the opt-in relay test.</summary>
    public string ProbeSender { get; init; } = "mailhealth-probe@example.com";

    /// <summary>Recipient in a foreign domain for the opt-in relay test (RFC 2606 reserved, never delivered).</summary>
    public string RelayTestRecipient { get; init; } = "relay-test@example.net";

    /// <summary>Roots trusted besides the system store (<c>--ca-file</c>).</summary>
    public X509Certificate2Collection ExtraTrustRoots { get; init; } = [];

    /// <summary>Certificates expiring within this many days are critical. Default 7.</summary>
    public int CertificateCriticalDays { get; init; } = 7;

    /// <summary>Certificates expiring within this many days are a warning. Default 21.</summary>
    public int CertificateWarningDays { get; init; } = 21;
}
