using MailHealth.ReportTotals;

namespace MailHealth.Storage.ReceiverReports;

/// <summary>What the committed aggregate reports of one day say of one source address, added up over the reports.</summary>
public sealed record SourceTotals(string SourceIp, DmarcCounts Counts, int Reports);
