namespace MailHealth.Smtp;

/// <summary>Where an SMTP probe is: each stage has its own deadline and its own way of failing.</summary>
public enum SmtpStage
{
    Connect,

    /// <summary>The TLS handshake: first thing on an implicit-TLS port, or after a 220 to STARTTLS.</summary>
    TlsHandshake,

    /// <summary>Waiting for the 220 greeting (RFC 5321 section 4.3.1).</summary>
    Greeting,

    /// <summary>EHLO (or the HELO fallback) on the unencrypted session.</summary>
    Ehlo,

    StartTls,

    /// <summary>EHLO on the encrypted session (RFC 3207 section 4.2: the client must issue it anew).</summary>
    EhloAfterTls,

    /// <summary>The opt-in relay test: MAIL, RCPT, RSET.</summary>
    RelayTest,

    Auth,

    Quit,
}
