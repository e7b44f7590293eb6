namespace MailHealth.Smtp;

/// <summary>Why no TCP connection was made to any address of a host.</summary>
internal enum SmtpConnectFailure
{
    /// <summary>At least one address answered with a reset: the host is there and the port is closed.</summary>
    Refused,

    /// <summary>Every address stayed silent until the connect timeout (a filter, or our own egress).</summary>
    TimedOut,

    /// <summary>The address policy refused every address: no connection was tried (docs/address-policy.md).</summary>
    NotAllowed,

    /// <summary>Our side could not even try (no route, no such address family): the check is an error.</summary>
    Unreachable,
}
