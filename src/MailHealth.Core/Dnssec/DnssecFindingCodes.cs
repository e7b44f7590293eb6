namespace MailHealth.Dnssec;

/// <summary>Findings of the <c>dnssec</c> check (RFC 4033, 4035). Severities and fixes are in docs/findings.md.</summary>
public static class DnssecFindingCodes
{
    /// <summary>The chain does not validate (SERVFAIL that CD lifts, expired signatures): validating senders cannot resolve the MX.</summary>
    public const string Bogus = "DNSSEC_BOGUS";

    /// <summary>Signatures over the domain's records end within the warning window.</summary>
    public const string SignatureExpiring = "DNSSEC_SIGNATURE_EXPIRING";

    /// <summary>No DS and no DNSKEY, and no validated answer: the zone is not signed.</summary>
    public const string Unsigned = "DNSSEC_UNSIGNED";

    /// <summary>DS or DNSKEY published, but the answers came back without the AD bit.</summary>
    public const string NotValidated = "DNSSEC_NOT_VALIDATED";
}
