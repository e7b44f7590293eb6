using MailHealth.ReportTotals;

namespace MailHealth.Storage.ReceiverReports;

/// <summary>One committed report's share of one day: its counts times the part of its range on that day.</summary>
public sealed record ReportDayTotals(
    DateOnly Day,
    string Kind,
    string ReportKey,
    string Input,
    string OrgName,
    string ReportId,
    double Share,
    int Sources,
    DmarcCounts? Dmarc,
    TlsSessionCounts? Tls);
