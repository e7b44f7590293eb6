namespace MailHealth.Smtp;

/// <summary>The codes the SMTP probe raises (docs/findings.md explains each one).</summary>
public static class SmtpFindingCodes
{
    public const string ConnectRefused = "SMTP_CONNECT_REFUSED";
    public const string ConnectTimeout = "SMTP_CONNECT_TIMEOUT";
    public const string GreetingInvalid = "SMTP_GREETING_INVALID";
    public const string GreetingSlow = "SMTP_GREETING_SLOW";
    public const string EhloRejected = "SMTP_EHLO_REJECTED";
    public const string StartTlsMissing = "SMTP_STARTTLS_MISSING";
    public const string StartTlsFailed = "SMTP_STARTTLS_FAILED";
    public const string ImplicitTlsFailed = "SMTP_IMPLICIT_TLS_FAILED";
    public const string TlsProtocolWeak = "SMTP_TLS_PROTOCOL_WEAK";
    public const string AuthBeforeTls = "SMTP_AUTH_BEFORE_TLS";
    public const string AuthMissing = "SMTP_AUTH_MISSING";
    public const string AuthFailed = "SMTP_AUTH_FAILED";
    public const string OpenRelay = "SMTP_OPEN_RELAY";

    /// <summary>
    /// A host the target names (<c>hosts</c>) resolves only to addresses the address policy
    /// refuses: not probed. The monitor's settings, not the server, decide this (docs/address-policy.md).
    /// </summary>
    public const string AddressNotAllowed = "SMTP_ADDRESS_NOT_ALLOWED";

    /// <summary>The server stopped answering after the greeting (a command or the whole probe ran out of time).</summary>
    public const string Timeout = "SMTP_TIMEOUT";

    /// <summary>The server broke the protocol after the greeting: garbage, an endless line, a dropped connection.</summary>
    public const string ProtocolError = "SMTP_PROTOCOL_ERROR";

    public const string CertExpired = "TLS_CERT_EXPIRED";
    public const string CertExpiresSoon = "TLS_CERT_EXPIRES_SOON";
    public const string CertNameMismatch = "TLS_CERT_NAME_MISMATCH";
    public const string CertUntrusted = "TLS_CERT_UNTRUSTED";
}
