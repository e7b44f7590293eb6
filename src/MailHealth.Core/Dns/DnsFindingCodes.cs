namespace MailHealth.Dns;

/// <summary>Findings for a lookup a check could not get: <c>error</c> when the verdict needed it, else info.</summary>
public static class DnsFindingCodes
{
    public const string Timeout = "DNS_TIMEOUT";
    public const string ServFail = "DNS_SERVFAIL";

    /// <summary>
    /// Info: a lookup the verdict does not rest on failed (a name above the domain's own record, a
    /// report destination); the check keeps its verdict and says what stays uncertain.
    /// </summary>
    public const string LookupIncomplete = "DNS_LOOKUP_INCOMPLETE";
}
