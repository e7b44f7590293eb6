using System.Net;
using System.Net.Security;
using System.Security.Authentication;
using MailHealth.Targets;

namespace MailHealth.Smtp;

/// <summary>
/// The facts one probe gathered, before any judgement: what the server said at each stage, how
/// long it took, what TLS and certificate it presented. <see cref="SmtpFindingRules"/> turns
/// them into findings.
/// </summary>
internal sealed class SmtpObservation
{
    public required SmtpRole Role { get; init; }

    public required string HostName { get; init; }

    public required int Port { get; init; }

    public IPAddress? Address { get; set; }

    /// <summary>One line per address tried, such as <c>127.0.0.1: refused</c>.</summary>
    public List<string> ConnectAttempts { get; } = [];

    public SmtpConnectFailure? ConnectFailure { get; set; }

    /// <summary>Stage durations in milliseconds, by metric name (connectMs, greetingMs...).</summary>
    public Dictionary<string, double> Timings { get; } = [];

    /// <summary>The greeting lines verbatim; null when none arrived.</summary>
    public IReadOnlyList<string>? Greeting { get; set; }

    /// <summary>The 250 reply to EHLO (or HELO) on the unencrypted session; null when there was none.</summary>
    public IReadOnlyList<string>? Ehlo { get; set; }

    public string? StartTlsReply { get; set; }

    /// <summary>The 250 reply to EHLO on the encrypted session; null when there was none.</summary>
    public IReadOnlyList<string>? EhloAfterTls { get; set; }

    public bool ImplicitTls { get; set; }

    /// <summary>The raw stream under an implicit-TLS handshake while it runs (what the port sent if it failed).</summary>
    public FirstBytesStream? ImplicitTlsWire { get; set; }

    public bool TlsEstablished { get; set; }

    public SslProtocols? TlsProtocol { get; set; }

    public TlsCipherSuite? CipherSuite { get; set; }

    public CertificateReport? Certificate { get; set; }

    /// <summary>The presented chain, leaf first, DER.</summary>
    public IReadOnlyList<byte[]> CertificateChain { get; set; } = [];

    public SmtpFailure? Failure { get; set; }

    /// <summary>Null when no AUTH was tried; else whether the credentials were accepted.</summary>
    public bool? AuthSucceeded { get; set; }

    public string? AuthReply { get; set; }

    /// <summary>Why credentials were configured but not tried.</summary>
    public string? AuthNotAttempted { get; set; }

    public string? RelayMailReply { get; set; }

    public string? RelayRcptReply { get; set; }

    /// <summary>Null when the relay test did not reach RCPT; true when the foreign recipient was accepted.</summary>
    public bool? RelayAccepted { get; set; }

    /// <summary>The whole dialogue, secrets hidden.</summary>
    public IReadOnlyList<string> Transcript { get; set; } = [];

    /// <summary>Set when the caller cancelled the probe (the run's deadline): the check could not finish.</summary>
    public string? Cancelled { get; set; }

    /// <summary>The first word of the greeting (RFC 5321 section 4.2: the server's name).</summary>
    public string? GreetingHostname =>
        Greeting is [var first, ..] && first.Length > 4 && first.StartsWith("220", StringComparison.Ordinal)
            ? first[4..].Split(' ', 2)[0]
            : null;

    public bool StartTlsOffered => Ehlo is { } ehlo && Keywords(ehlo).Any(k => k.Equals("STARTTLS", StringComparison.OrdinalIgnoreCase));

    /// <summary>The extension keywords of an EHLO reply: every line but the first, without the code.</summary>
    public static IReadOnlyList<string> Keywords(IReadOnlyList<string> ehlo) =>
        [.. ehlo.Skip(1).Select(l => l.Length > 4 ? l[4..].Trim() : "").Where(k => k.Length > 0)];

    /// <summary>The SASL mechanisms of an EHLO reply (RFC 4954 section 3; <c>AUTH=</c> is the old form).</summary>
    public static IReadOnlyList<string> AuthMechanisms(IReadOnlyList<string>? ehlo) =>
        ehlo is null
            ? []
            : [.. Keywords(ehlo)
                .Where(k => k.StartsWith("AUTH ", StringComparison.OrdinalIgnoreCase) || k.StartsWith("AUTH=", StringComparison.OrdinalIgnoreCase))
                .SelectMany(k => k[5..].Split(' ', StringSplitOptions.RemoveEmptyEntries))
                .Select(m => m.ToUpperInvariant())
                .Distinct()];
}
