namespace MailHealth.MtaSts;

/// <summary>Findings of the <c>mta-sts</c> check (RFC 8461). Severities are in docs/findings/transport.md.</summary>
public static class MtaStsFindingCodes
{
    /// <summary>No <c>_mta-sts</c> TXT record: MTA-STS is optional, so this is information only.</summary>
    public const string Missing = "MTASTS_MISSING";

    /// <summary>The <c>_mta-sts</c> TXT record is malformed or there are several: senders ignore MTA-STS.</summary>
    public const string RecordInvalid = "MTASTS_RECORD_INVALID";

    public const string PolicyUnreachable = "MTASTS_POLICY_UNREACHABLE";
    public const string PolicyInvalid = "MTASTS_POLICY_INVALID";

    /// <summary>Critical in mode enforce, a warning in mode testing.</summary>
    public const string MxMismatch = "MTASTS_MX_MISMATCH";

    public const string TestingMode = "MTASTS_TESTING_MODE";

    /// <summary>mode: none, MTA-STS switched off on purpose (RFC 8461 section 5).</summary>
    public const string ModeNone = "MTASTS_MODE_NONE";
}
