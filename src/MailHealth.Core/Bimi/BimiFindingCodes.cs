namespace MailHealth.Bimi;

/// <summary>Findings of the <c>bimi</c> check (draft-brand-indicators-for-message-identification). Fixes are in docs/findings.md.</summary>
public static class BimiFindingCodes
{
    /// <summary>A selector given with the target (--bimi-selector) has no BIMI record.</summary>
    public const string Missing = "BIMI_MISSING";

    /// <summary>The record is malformed: not v=BIMI1 first, several records, a location that is not https.</summary>
    public const string SyntaxError = "BIMI_SYNTAX_ERROR";

    /// <summary>The l= logo cannot be fetched over HTTPS.</summary>
    public const string LogoUnreachable = "BIMI_LOGO_UNREACHABLE";

    /// <summary>The logo is too large, of the wrong type, or not SVG Tiny Portable/Secure.</summary>
    public const string LogoInvalid = "BIMI_LOGO_INVALID";

    /// <summary>The a= mark certificate (VMC or CMC) cannot be fetched or parsed, has expired, or has no logotype.</summary>
    public const string CertificateInvalid = "BIMI_CERTIFICATE_INVALID";

    /// <summary>DMARC is not at enforcement (p=quarantine or reject, pct 100): receivers show no logo.</summary>
    public const string DmarcInsufficient = "BIMI_DMARC_INSUFFICIENT";
}
