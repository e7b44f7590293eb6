namespace MailHealth.ReportTotals;

/// <summary>
/// What the sessions of a TLS report are counted by: the policy type (sts, tlsa, no-policy-found),
/// the MX host and the result type. A policy's own totals (its successful and failed sessions)
/// have <see cref="Summary"/> as result type and the policy's mx-host patterns as MX host; each
/// failure-details entry counts its failed sessions under its result type and the receiving MX
/// host it names ("" when it names none).
/// </summary>
public sealed record TlsResultKey(string PolicyType, string MxHost, string ResultType)
{
    /// <summary>The result type of a policy's totals: no failure type, all its sessions.</summary>
    public const string Summary = "";

    public bool IsSummary => ResultType.Length == 0;
}
