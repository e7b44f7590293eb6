using MailHealth.ReportTotals;

namespace MailHealth.Monitor.ReceiverReports;

/// <summary>A day of a domain's aggregate reports: how many reports counted on it and their messages added up.</summary>
public sealed record DmarcDay(DateOnly Day, int Reports, DmarcCounts Counts);

/// <summary>A day of a domain's TLS reports: how many counted on it and their sessions added up.</summary>
public sealed record TlsDay(DateOnly Day, int Reports, TlsSessionCounts Sessions);
