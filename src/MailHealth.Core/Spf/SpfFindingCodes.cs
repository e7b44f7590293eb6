namespace MailHealth.Spf;

/// <summary>The codes the <c>spf</c> check raises (docs/findings.md).</summary>
public static class SpfFindingCodes
{
    public const string Missing = "SPF_MISSING";
    public const string MultipleRecords = "SPF_MULTIPLE_RECORDS";
    public const string SyntaxError = "SPF_SYNTAX_ERROR";
    public const string TooManyLookups = "SPF_TOO_MANY_LOOKUPS";
    public const string TooManyVoidLookups = "SPF_TOO_MANY_VOID_LOOKUPS";
    public const string TooManyMxNames = "SPF_TOO_MANY_MX_NAMES";
    public const string IncludeLoop = "SPF_INCLUDE_LOOP";
    public const string IncludeNoRecord = "SPF_INCLUDE_NO_RECORD";
    public const string PermissiveAll = "SPF_PERMISSIVE_ALL";
    public const string NeutralAll = "SPF_NEUTRAL_ALL";
    public const string PtrMechanism = "SPF_PTR_MECHANISM";
    public const string SenderNotAuthorized = "SPF_SENDER_NOT_AUTHORIZED";
    public const string TempError = "SPF_TEMPERROR";
}
