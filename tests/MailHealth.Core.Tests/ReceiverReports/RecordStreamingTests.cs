using MailHealth.ReceiverReports;
using MailHealth.Testing.Reports;
using static MailHealth.Core.Tests.ReceiverReports.ReportReading;

namespace MailHealth.Core.Tests.ReceiverReports;

/// <summary>
/// Records are read from the document as they are asked for, never held as a list: the report is
/// handed over once its metadata is read, its status is final once its records are.
/// </summary>
[Collection(nameof(MemoryMeasurementCollection))]
public sealed class RecordStreamingTests
{
    private static byte[] Report(int rows) => Containers.Gzip(AggregateXml.Bytes(Reporters.Google("example.com", Day, AggregateRows.Mixed("example.com", rows, 50))));

    [Fact]
    public void RecordsBeforeACut_AreHandedOverBeforeTheCutIsReached()
    {
        var xml = AggregateXml.Bytes(Reporters.Google("example.com", Day, AggregateRows.Mixed("example.com", 1000, 50)));
        var report = Assert.Single(new ReportInputReader(new ReceiverReportSettings()).Read(HostileInputs.Truncated(xml, 0.9), CancellationToken.None).Take(1));

        // Handed over after its metadata: parsed so far.
        Assert.Equal(ReceivedReportStatus.Parsed, report.Status);
        var first = report.Aggregate!.Records.Take(10).ToList();
        Assert.Equal(10, first.Count);
        Assert.Equal(ReceivedReportStatus.Parsed, report.Status);

        report.Finish();

        Assert.Equal(ReceivedReportStatus.Invalid, report.Status);
        Assert.StartsWith("malformed XML: ", report.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void Records_AreReadOnce()
    {
        var report = Assert.Single(new ReportInputReader(new ReceiverReportSettings()).Read(Report(5), CancellationToken.None).Take(1));

        Assert.Equal(5, report.Aggregate!.Records.Count());
        Assert.Throws<InvalidOperationException>(() => report.Aggregate.Records.Count());
    }

    [Fact]
    public void RecordsNobodyRead_AreReadBeforeTheNextReport()
    {
        var zip = Containers.Zip(("a.xml", AggregateXml.Bytes(new AggregateReportSpec { Rows = [new AggregateRow(), new AggregateRow { SourceIp = "bad" }] }.ForDay(Day))), ("b.xml", AggregateXml.Bytes(new AggregateReportSpec().ForDay(Day))));

        var reports = new ReportInputReader(new ReceiverReportSettings()).Read(zip, CancellationToken.None).ToList();

        // Nobody enumerated the records of a.xml; they were read so its dropped record is counted.
        Assert.Equal(1, reports[0].Aggregate!.DroppedRecords);
        Assert.Equal(2, reports.Count);
    }

    [Fact]
    public void ALargeReport_StreamsWithoutGrowingMemory()
    {
        var small = Report(2_000);
        var large = Report(100_000);

        var smallRetained = PeakRetained(small);
        var largeRetained = PeakRetained(large);

        // Fifty times the rows: what stays reachable while reading grows by the larger input
        // (compressed, in memory) only, not by the records.
        Assert.True(largeRetained - smallRetained < large.Length + (4L << 20), $"{smallRetained:N0} then {largeRetained:N0} bytes retained");
    }

    /// <summary>The memory reachable at the thousandth record (after a full collection), while the reader holds the rest.</summary>
    private static long PeakRetained(byte[] input)
    {
        var report = new ReportInputReader(new ReceiverReportSettings()).Read(input, CancellationToken.None).First();
        long index = 0, retained = 0;
        foreach (var record in report.Aggregate!.Records)
        {
            if (++index == 1_000)
            {
                retained = GC.GetTotalMemory(forceFullCollection: true);
            }
        }

        GC.KeepAlive(report);
        return retained;
    }
}

/// <summary>Tests that measure the process's memory run alone: another test's allocations would count.</summary>
[CollectionDefinition(nameof(MemoryMeasurementCollection), DisableParallelization = true)]
public sealed class MemoryMeasurementCollection;
