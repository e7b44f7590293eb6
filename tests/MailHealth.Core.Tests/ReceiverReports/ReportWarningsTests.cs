using MailHealth.ReceiverReports;

namespace MailHealth.Core.Tests.ReceiverReports;

/// <summary>A report's warnings say each kind of deviation once, however many records have it.</summary>
public sealed class ReportWarningsTests
{
    [Fact]
    public void RepeatedDeviation_IsOneLineWithItsCountAndFirstExample()
    {
        var warnings = new ReportWarnings();
        warnings.Add("the report holds no record");
        for (var i = 1; i <= 900_000; i++)
        {
            warnings.Note("header_from missing", $"record {i}");
        }

        Assert.Equal(["the report holds no record", "header_from missing (900000 records; first: record 1)"], warnings.ToList());
    }

    [Fact]
    public void DistinctWarnings_AreCappedAndTheRestCounted()
    {
        var warnings = new ReportWarnings();
        for (var i = 0; i < ReportWarnings.MaxDistinct + 7; i++)
        {
            warnings.Note($"disposition 'word{i}' is not none, quarantine or reject", "record 1");
        }

        var lines = warnings.ToList();
        Assert.Equal(ReportWarnings.MaxDistinct + 1, lines.Count);
        Assert.Equal("7 more warnings of other kinds", lines[^1]);
    }
}
