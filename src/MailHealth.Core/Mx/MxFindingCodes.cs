namespace MailHealth.Mx;

public static class MxFindingCodes
{
    public const string Missing = "MX_MISSING";
    public const string Null = "MX_NULL";
    public const string NullMixed = "MX_NULL_MIXED";
    public const string HostUnresolvable = "MX_HOST_UNRESOLVABLE";
    public const string IsCname = "MX_IS_CNAME";
    public const string IsIpLiteral = "MX_IS_IP_LITERAL";
}
