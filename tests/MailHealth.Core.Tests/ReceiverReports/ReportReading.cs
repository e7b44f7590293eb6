using MailHealth.ReceiverReports;

namespace MailHealth.Core.Tests.ReceiverReports;

/// <summary>A report as a test sees it once read: the result and its records, read as they streamed.</summary>
internal sealed record ReadReport(ReceivedReport Report, IReadOnlyList<AggregateRecord> Records);

/// <summary>Reads generated inputs through the real <see cref="ReportInputReader"/>.</summary>
internal static class ReportReading
{
    /// <summary>The day generated reports cover (parsing needs no clock: reports carry their own dates).</summary>
    public static readonly DateTimeOffset Day = new(2026, 5, 1, 0, 0, 0, TimeSpan.Zero);

    public static List<ReadReport> Read(byte[] input, ReceiverReportSettings? settings = null)
    {
        var reports = new List<ReadReport>();
        foreach (var report in new ReportInputReader(settings ?? new ReceiverReportSettings()).Read(input, CancellationToken.None))
        {
            reports.Add(new ReadReport(report, report.Aggregate?.Records.ToList() ?? []));
        }

        return reports;
    }

    public static ReadReport Single(byte[] input, ReceiverReportSettings? settings = null) => Assert.Single(Read(input, settings));

    /// <summary>The one report of <paramref name="input"/>, which must have parsed, with its warnings in the message if not.</summary>
    public static ReadReport Parsed(byte[] input)
    {
        var read = Single(input);
        Assert.True(read.Report.Status == ReceivedReportStatus.Parsed, $"invalid: {read.Report.Reason}");
        return read;
    }

    /// <summary>The one result of <paramref name="input"/>, which must be invalid; its reason.</summary>
    public static string Invalid(byte[] input, ReceiverReportSettings? settings = null)
    {
        var read = Single(input, settings);
        Assert.Equal(ReceivedReportStatus.Invalid, read.Report.Status);
        return read.Report.Reason!;
    }
}
