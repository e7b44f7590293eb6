namespace MailHealth.Dkim;

/// <summary>The k= values verifiers know: rsa (RFC 6376 section 3.6.1) and ed25519 (RFC 8463 section 4).</summary>
public static class DkimKeyTypes
{
    public const string Rsa = "rsa";
    public const string Ed25519 = "ed25519";

    public static bool IsKnown(string keyType) => keyType is Rsa or Ed25519;
}
