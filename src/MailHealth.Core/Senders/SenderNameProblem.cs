namespace MailHealth.Senders;

/// <summary>Why a source has no confirmed name.</summary>
public enum SenderNameProblem
{
    /// <summary>Named: a PTR name whose addresses include the source's.</summary>
    None,

    /// <summary>The address has no PTR record (NXDOMAIN or no data).</summary>
    NoPtr,

    /// <summary>
    /// No PTR name resolves back to the address: whoever holds the reverse zone may write any name
    /// there, so the name is shown but no base domain is drawn from it.
    /// </summary>
    Unconfirmed,

    /// <summary>A lookup got no answer within the resolver's timeout.</summary>
    TimedOut,

    /// <summary>A lookup failed (SERVFAIL, REFUSED, a malformed answer).</summary>
    LookupFailed,

    /// <summary>The call's deadline came first; the lookup goes on, and a later report finds its result.</summary>
    NotNamedInTime,
}
