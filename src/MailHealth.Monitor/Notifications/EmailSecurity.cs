namespace MailHealth.Monitor.Notifications;

/// <summary>How the e-mail channel protects its connection. Never plain text: the password goes over it.</summary>
public enum EmailSecurity
{
    /// <summary>Port 465 means implicit TLS, any other port STARTTLS (required, never "when available").</summary>
    Auto = 0,

    /// <summary>Plain connect, then STARTTLS, required (submission on 587, RFC 6409 and RFC 3207).</summary>
    StartTls = 1,

    /// <summary>TLS from the first byte (submissions on 465, RFC 8314 section 3.3).</summary>
    SslOnConnect = 2,
}
