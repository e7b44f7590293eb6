using MailHealth.Smtp;

namespace MailHealth.Egress;

/// <summary>The monitor-level egress finding, and the SMTP probe's codes it reads.</summary>
public static class EgressFindingCodes
{
    /// <summary>Port 25 timed out on every target while 587/465 connected: our own egress is blocked.</summary>
    public const string EgressBlocked = "SMTP_EGRESS_BLOCKED";

    /// <summary>Raised by the SMTP probe (kind smtp, subject HOST:PORT); the signal read here.</summary>
    public const string ConnectTimeout = SmtpFindingCodes.ConnectTimeout;

    /// <summary>Raised by the SMTP probe: a refusal proves the packets got through.</summary>
    public const string ConnectRefused = SmtpFindingCodes.ConnectRefused;
}
