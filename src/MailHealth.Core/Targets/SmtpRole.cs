namespace MailHealth.Targets;

/// <summary>What a port is for, which decides what the probe expects of it.</summary>
public enum SmtpRole
{
    /// <summary>Relay between MTAs (port 25, RFC 5321): STARTTLS expected, AUTH not.</summary>
    Smtp,

    /// <summary>Message submission (port 587, RFC 6409): STARTTLS required, AUTH only after TLS.</summary>
    Submission,

    /// <summary>Submission over implicit TLS (port 465, RFC 8314 section 3.3): TLS from the first byte.</summary>
    Submissions,
}
