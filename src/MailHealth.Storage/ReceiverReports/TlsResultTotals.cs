using MailHealth.ReportTotals;

namespace MailHealth.Storage.ReceiverReports;

/// <summary>The sessions the committed TLS reports of one day counted under one policy type, MX host and result type, added up over the reports.</summary>
public sealed record TlsResultTotals(TlsResultKey Key, TlsSessionCounts Sessions, int Reports);
