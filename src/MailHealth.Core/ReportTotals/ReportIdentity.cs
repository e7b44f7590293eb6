using System.Globalization;
using System.Security.Cryptography;
using System.Text;
using MailHealth.Dns;
using MailHealth.ReceiverReports;

namespace MailHealth.ReportTotals;

/// <summary>
/// What makes a report the same report (docs/storage.md, "Receivers' reports"): its kind, reporting
/// organisation, report id, policy domain and date range. A re-delivered report has the same
/// identity and is a duplicate; the same report id from another organisation or for another
/// domain is another report. <see cref="Key"/> is the identity as a key: a hash of the normalised
/// fields (organisation in lower case, the id trimmed, the domain as its lower-case ASCII form,
/// the range in whole seconds), so the spellings one receiver varies in do not make two reports.
/// </summary>
public sealed record ReportIdentity
{
    private ReportIdentity(ReceivedReportKind kind, string orgName, string reportId, string policyDomain, DateTimeOffset begin, DateTimeOffset end)
    {
        Kind = kind;
        OrgName = orgName;
        ReportId = reportId;
        PolicyDomain = policyDomain;
        Begin = begin;
        End = end;
        Key = KeyOf(kind, orgName, reportId, policyDomain, begin, end);
    }

    public ReceivedReportKind Kind { get; }

    /// <summary>The organisation as the report names it, trimmed.</summary>
    public string OrgName { get; }

    public string ReportId { get; }

    /// <summary>The policy domain in lower-case ASCII (<see cref="NormalizeDomain"/>), as targets name theirs.</summary>
    public string PolicyDomain { get; }

    public DateTimeOffset Begin { get; }

    public DateTimeOffset End { get; }

    /// <summary>32 lower-case hex digits: the first 128 bits of SHA-256 over the normalised identity.</summary>
    public string Key { get; }

    /// <summary>The identity of a report whose metadata could be read; null for an input (or part) that holds none.</summary>
    public static ReportIdentity? Of(ReceivedReport report)
    {
        ArgumentNullException.ThrowIfNull(report);
        if (report.Aggregate is { } dmarc)
        {
            var metadata = dmarc.Metadata;
            return new ReportIdentity(ReceivedReportKind.Dmarc, metadata.OrgName.Trim(), metadata.ReportId.Trim(), NormalizeDomain(dmarc.Policy.Domain), metadata.Begin, metadata.End);
        }

        return report.Tls is { } tls
            ? new ReportIdentity(ReceivedReportKind.TlsRpt, tls.OrgName.Trim(), tls.ReportId.Trim(), NormalizeDomain(tls.PolicyDomain), tls.Begin, tls.End)
            : null;
    }

    /// <summary>A policy domain as a target names its domain: lower-case ASCII (A-labels), no final dot; left lower-cased when it is no valid name.</summary>
    public static string NormalizeDomain(string domain)
    {
        ArgumentNullException.ThrowIfNull(domain);
        return DomainName.TryParse(domain, out var name, out _) ? name.Ascii : domain.Trim().TrimEnd('.').ToLowerInvariant();
    }

    private static string KeyOf(ReceivedReportKind kind, string orgName, string reportId, string policyDomain, DateTimeOffset begin, DateTimeOffset end)
    {
        var text = string.Create(CultureInfo.InvariantCulture, $"{kind}\n{orgName.ToLowerInvariant()}\n{reportId}\n{policyDomain}\n{begin.ToUnixTimeSeconds()}\n{end.ToUnixTimeSeconds()}");
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(text));
        return Convert.ToHexStringLower(hash.AsSpan(0, 16));
    }
}
