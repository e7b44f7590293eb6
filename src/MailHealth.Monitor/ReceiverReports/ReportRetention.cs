namespace MailHealth.Monitor.ReceiverReports;

/// <summary>Where receivers' reports are cut off (<see cref="ReportIngestionSettings.RetentionDays"/>): the same day for the purge and for ingestion's refusal.</summary>
public static class ReportRetention
{
    /// <summary>The first day kept: <paramref name="days"/> days before the UTC day of <paramref name="now"/>.</summary>
    public static DateOnly FirstDayKept(DateTimeOffset now, int days) => DateOnly.FromDateTime(now.UtcDateTime).AddDays(-days);

    /// <summary>Midnight (UTC) of <see cref="FirstDayKept"/>: a report that ended before it is not kept.</summary>
    public static DateTimeOffset CutOff(DateTimeOffset now, int days) => new(FirstDayKept(now, days).ToDateTime(TimeOnly.MinValue), TimeSpan.Zero);
}
