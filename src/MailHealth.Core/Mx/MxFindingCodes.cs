namespace MailHealth.Mx;

public static class MxFindingCodes
{
    public const string Missing = "MX_MISSING";
    public const string Null = "MX_NULL";
    public const string NullMixed = "MX_NULL_MIXED";
    public const string HostUnresolvable = "MX_HOST_UNRESOLVABLE";
    public const string IsCname = "MX_IS_CNAME";
    public const string IsIpLiteral = "MX_IS_IP_LITERAL";

    /// <summary>
    /// An MX host (or the implicit MX) resolves to addresses that are not on the internet (private-use,
    /// loopback, link-local...): mail from the internet cannot reach them, and the monitor does not
    /// connect to them (docs/address-policy.md). Critical when the host has no other address.
    /// </summary>
    public const string PrivateAddress = "MX_PRIVATE_ADDRESS";
}
