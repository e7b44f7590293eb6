namespace MailHealth.Storage.ReceiverReports;

/// <summary>One report of an input, as the list of what arrived holds it: the input it came in, when it was received, and what became of it.</summary>
public sealed record ListedReport(string Input, DateTimeOffset ReceivedAt, ReportOutcome Report);
