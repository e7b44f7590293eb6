namespace MailHealth.Dns;

/// <summary>How a DNS question ended. Only the last three mean "could not find out".</summary>
public enum DnsOutcome
{
    /// <summary>NOERROR with at least one record of the asked type (after CNAMEs).</summary>
    Success,

    /// <summary>NOERROR, but no record of the asked type: a void lookup in RFC 7208 section 4.6.4 terms.</summary>
    NoData,

    /// <summary>NXDOMAIN: the name does not exist.</summary>
    NxDomain,

    /// <summary>SERVFAIL or another server-side error code.</summary>
    ServerFailure,

    /// <summary>No answer in time, from any configured server.</summary>
    Timeout,

    /// <summary>A malformed answer, a refused query or a transport error.</summary>
    Failure,
}
