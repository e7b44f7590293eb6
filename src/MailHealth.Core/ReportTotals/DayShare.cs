namespace MailHealth.ReportTotals;

/// <summary>The part of a report's range that falls on one UTC day (0 &lt; share &lt;= 1).</summary>
public readonly record struct DayShare(DateOnly Day, double Share);
