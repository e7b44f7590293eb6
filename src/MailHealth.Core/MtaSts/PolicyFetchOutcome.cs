namespace MailHealth.MtaSts;

/// <summary>How fetching a policy ended.</summary>
public enum PolicyFetchOutcome
{
    /// <summary>200 OK with a body within the size limit.</summary>
    Fetched,

    /// <summary>The policy host has no address.</summary>
    HostUnresolvable,

    /// <summary>The policy host's address lookup timed out or failed: could not check.</summary>
    DnsFailure,

    /// <summary>Every address of the host is one the address policy refuses: nothing was connected to.</summary>
    AddressNotAllowed,

    /// <summary>No TCP connection to any address of the policy host.</summary>
    ConnectFailed,

    /// <summary>The TLS handshake failed for a reason other than the certificate.</summary>
    TlsFailed,

    /// <summary>The certificate is not valid for the policy host (see the inspection).</summary>
    CertificateRejected,

    /// <summary>No complete answer within the fetch deadline.</summary>
    TimedOut,

    /// <summary>A 3xx answer: RFC 8461 section 3.3 forbids following it.</summary>
    Redirected,

    /// <summary>An HTTP status other than 200.</summary>
    HttpError,

    /// <summary>The body is larger than the limit.</summary>
    TooLarge,

    /// <summary>The server broke the HTTP exchange (garbage, closed early).</summary>
    ProtocolError,
}
