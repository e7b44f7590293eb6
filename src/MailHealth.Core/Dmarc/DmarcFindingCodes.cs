namespace MailHealth.Dmarc;

/// <summary>Findings of the <c>dmarc</c> check (docs/findings.md).</summary>
public static class DmarcFindingCodes
{
    public const string Missing = "DMARC_MISSING";
    public const string MultipleRecords = "DMARC_MULTIPLE_RECORDS";
    public const string SyntaxError = "DMARC_SYNTAX_ERROR";
    public const string PolicyNone = "DMARC_POLICY_NONE";
    public const string HistoricTag = "DMARC_HISTORIC_TAG";
    public const string TestingMode = "DMARC_TESTING_MODE";
    public const string NoAggregateReports = "DMARC_NO_AGGREGATE_REPORTS";
    public const string ReportDestinationUnauthorized = "DMARC_REPORT_DESTINATION_UNAUTHORIZED";
    public const string SubdomainPolicyWeaker = "DMARC_SUBDOMAIN_POLICY_WEAKER";
}
