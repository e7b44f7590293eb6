namespace MailHealth.MtaSts;

/// <summary>Findings of the <c>mta-sts</c> check (RFC 8461). Severities are in docs/findings.md.</summary>
public static class MtaStsFindingCodes
{
    /// <summary>No <c>_mta-sts</c> TXT record: MTA-STS is optional, so this is information only.</summary>
    public const string Missing = "MTASTS_MISSING";

    /// <summary>The <c>_mta-sts</c> TXT record is malformed or there are several: senders ignore MTA-STS.</summary>
    public const string RecordInvalid = "MTASTS_RECORD_INVALID";

    public const string PolicyUnreachable = "MTASTS_POLICY_UNREACHABLE";
    public const string PolicyInvalid = "MTASTS_POLICY_INVALID";

    /// <summary>
    /// The policy host resolves to addresses that are not on the internet: senders cannot fetch the
    /// policy from them, and the monitor does not connect to them (docs/address-policy.md). Critical
    /// when the host has no other address (as MTASTS_POLICY_UNREACHABLE), else a warning.
    /// </summary>
    public const string PolicyPrivateAddress = "MTASTS_POLICY_PRIVATE_ADDRESS";

    /// <summary>Critical in mode enforce, a warning in mode testing.</summary>
    public const string MxMismatch = "MTASTS_MX_MISMATCH";

    /// <summary>
    /// An MX host covered by the policy fails RFC 8461 section 4.2 on port 25 (no STARTTLS, or a
    /// certificate that is not PKIX-valid for its name). Critical in mode enforce, a warning in testing.
    /// </summary>
    public const string MxTlsInvalid = "MTASTS_MX_TLS_INVALID";

    public const string TestingMode = "MTASTS_TESTING_MODE";

    /// <summary>mode: none, MTA-STS switched off on purpose (RFC 8461 section 5).</summary>
    public const string ModeNone = "MTASTS_MODE_NONE";
}
