namespace MailHealth.Dkim;

/// <summary>Findings of the <c>dkim:SELECTOR</c> checks (docs/findings.md).</summary>
public static class DkimFindingCodes
{
    public const string KeyMissing = "DKIM_KEY_MISSING";
    public const string KeyRevoked = "DKIM_KEY_REVOKED";
    public const string KeyWeak = "DKIM_KEY_WEAK";
    public const string SyntaxError = "DKIM_SYNTAX_ERROR";
    public const string TestingMode = "DKIM_TESTING_MODE";
    public const string KeySha1Only = "DKIM_KEY_SHA1_ONLY";
    public const string KeyNotForEmail = "DKIM_KEY_NOT_FOR_EMAIL";
    public const string MultipleRecords = "DKIM_MULTIPLE_RECORDS";

    /// <summary>No selector is configured, reported or found: DKIM could not be checked (never a silent pass).</summary>
    public const string NoSelector = "DKIM_NO_SELECTOR";

    /// <summary>The selectors checked were found by guessing the common ones: information only.</summary>
    public const string SelectorsGuessed = "DKIM_SELECTORS_GUESSED";
}
