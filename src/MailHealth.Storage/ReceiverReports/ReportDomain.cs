namespace MailHealth.Storage.ReceiverReports;

/// <summary>A policy domain reports were committed for: the earliest and latest time they cover, and when the last one was received.</summary>
public sealed record ReportDomain(string Domain, DateTimeOffset FirstBegin, DateTimeOffset LastEnd, DateTimeOffset LastReceivedAt);
