namespace MailHealth.Dns;

/// <summary>Findings for a lookup a check needed and could not get. The check is then <c>error</c>.</summary>
public static class DnsFindingCodes
{
    public const string Timeout = "DNS_TIMEOUT";
    public const string ServFail = "DNS_SERVFAIL";
}
