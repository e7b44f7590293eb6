using System.Net;
using MailHealth.ReceiverReports;
using MailHealth.Testing.Reports;
using static MailHealth.Core.Tests.ReceiverReports.ReportReading;

namespace MailHealth.Core.Tests.ReceiverReports;

/// <summary>What receivers get wrong in aggregate reports, read past and normalised, and what cannot be.</summary>
public sealed class AggregateDeviationTests
{
    private static AggregateReportSpec Report(params AggregateRow[] rows) => new AggregateReportSpec { Rows = rows }.ForDay(Day);

    private static ReadReport ParseXml(AggregateReportSpec spec) => Parsed(AggregateXml.Bytes(spec));

    [Fact]
    public void SloppyReport_IsNormalisedToLowerCaseAndPassOrFail()
    {
        var read = Parsed(Reporters.InlineXmlMessage(Reporters.Sloppy("example.com", Day)));

        var aggregate = read.Report.Aggregate!;
        Assert.Equal("Small Hosting", aggregate.Metadata.OrgName);
        Assert.Equal("42", aggregate.Metadata.ReportId);
        Assert.Null(aggregate.Metadata.Version);
        Assert.Equal("example.com", aggregate.Policy.Domain);
        Assert.Equal("quarantine", aggregate.Policy.P);
        Assert.Equal(3, read.Records.Count);

        var capitals = read.Records[0];
        Assert.Equal((IPAddress.Parse("192.0.2.10"), 3L, "none", "pass", "pass", "example.com"), (capitals.SourceIp, capitals.Count, capitals.Disposition, capitals.Dkim, capitals.Spf, capitals.HeaderFrom));
        Assert.Equal("pass", Assert.Single(capitals.DkimResults).Result);
        Assert.Equal("pass", Assert.Single(capitals.SpfResults).Result);

        var hardfail = read.Records[1];
        Assert.Equal(("fail", "fail"), (hardfail.Spf, Assert.Single(hardfail.SpfResults).Result));
        var empty = read.Records[2];
        Assert.Equal(("fail", "fail", "softfail"), (empty.Dkim, empty.Spf, Assert.Single(empty.SpfResults).Result));

        var warnings = read.Report.Warnings.ToList();
        Assert.Contains("policy_evaluated spf 'hardfail' read as fail (pass or fail expected) (record 2)", warnings);
        Assert.Contains("auth_results spf result 'hardfail' read as fail (record 2)", warnings);
        Assert.Contains("policy_evaluated dkim missing: read as fail (record 3)", warnings);
        Assert.Contains("policy_evaluated spf 'softfail' read as fail (pass or fail expected) (record 3)", warnings);
        // Case alone is no deviation worth a warning.
        Assert.DoesNotContain(warnings, w => w.Contains("'pass'", StringComparison.Ordinal) || w.Contains("softfail' read", StringComparison.Ordinal) && w.Contains("auth_results", StringComparison.Ordinal));
    }

    [Fact]
    public void UnreadableRecords_AreDroppedAloneAndCounted()
    {
        var read = ParseXml(Report(
            new AggregateRow { SourceIp = "192.0.2.1" },
            new AggregateRow { SourceIp = "192.0.2.999" },
            new AggregateRow { SourceIp = "198.51.100" },
            new AggregateRow { SourceIp = null },
            new AggregateRow { SourceIp = "198.51.100.7", Count = "12x" },
            new AggregateRow { SourceIp = "198.51.100.8", Count = "" },
            new AggregateRow { SourceIp = "203.0.113.9", Count = "7" }));

        Assert.Equal(ReceivedReportStatus.Parsed, read.Report.Status);
        Assert.Equal(["192.0.2.1", "203.0.113.9"], read.Records.Select(r => r.SourceIp.ToString()));
        Assert.Equal(5, read.Report.Aggregate!.DroppedRecords);
        var warnings = read.Report.Warnings.ToList();
        Assert.Contains("record dropped: source_ip is not an IP address (2 records; first: record 2: '192.0.2.999')", warnings);
        Assert.Contains("record dropped: source_ip missing (record 4)", warnings);
        Assert.Contains("record dropped: count is not a whole number (record 5: '12x')", warnings);
        Assert.Contains("record dropped: count missing (record 6)", warnings);
    }

    [Theory]
    [InlineData("org_name", "report_metadata/org_name is missing")]
    [InlineData("report_id", "report_metadata/report_id is missing")]
    [InlineData("begin", "report_metadata/date_range/begin is missing")]
    [InlineData("end", "report_metadata/date_range/end is missing")]
    [InlineData("domain", "policy_published/domain is missing")]
    [InlineData("policy_published", "policy_published/domain is missing")]
    public void MissingRequiredMetadata_MakesTheReportInvalidNamingTheElement(string left, string reason)
    {
        var spec = Report(new AggregateRow());
        spec = left switch
        {
            "org_name" => spec with { OrgName = "" },
            "report_id" => spec with { ReportId = null },
            "begin" => spec with { Begin = null },
            "end" => spec with { End = "  " },
            "domain" => spec with { Domain = null },
            _ => spec with { WritePolicy = false },
        };

        var read = Single(AggregateXml.Bytes(spec));

        Assert.Equal((ReceivedReportStatus.Invalid, ReceivedReportKind.Dmarc), (read.Report.Status, read.Report.Kind));
        Assert.Equal(reason + " before the first record", read.Report.Reason);
        Assert.Empty(read.Records);
    }

    [Fact]
    public void UnknownElements_AreIgnoredAtEveryLevel()
    {
        var row = new AggregateRow { SourceIp = "192.0.2.5", Extension = "<vendor_score>0.3</vendor_score><vendor><nested>x</nested></vendor>" };
        var spec = Report(row) with { AfterPolicy = "<vendor_note>generated by hand</vendor_note>", Errors = ["sp= is not valid"] };

        var read = ParseXml(spec);

        Assert.Equal(IPAddress.Parse("192.0.2.5"), Assert.Single(read.Records).SourceIp);
        Assert.Equal(["sp= is not valid"], read.Report.Aggregate!.Metadata.Errors);
        Assert.Empty(read.Report.Warnings.ToList());
    }

    [Fact]
    public void Identifiers_AreNormalised()
    {
        var read = ParseXml(Report(
            new AggregateRow { HeaderFrom = "Example.COM.", EnvelopeFrom = "bounces+123@Mail.Example.com" },
            new AggregateRow { EnvelopeFrom = "" },
            new AggregateRow { HeaderFrom = null, SourceIp = "::ffff:192.0.2.44" }));

        Assert.Equal(("example.com", "mail.example.com"), (read.Records[0].HeaderFrom, read.Records[0].EnvelopeFrom));
        Assert.Equal("", read.Records[1].EnvelopeFrom);
        Assert.Null(read.Records[2].HeaderFrom);
        Assert.Equal(IPAddress.Parse("192.0.2.44"), read.Records[2].SourceIp);
        var warnings = read.Report.Warnings.ToList();
        Assert.Contains("envelope_from holds an address: its domain was kept (record 1)", warnings);
        Assert.Contains("header_from missing (record 3)", warnings);
    }

    [Fact]
    public void OverrideReasons_AreKept()
    {
        var read = ParseXml(Report(new AggregateRow { Disposition = "none", Dkim = "fail", Spf = "fail", Reasons = [("Mailing_List", "list.example.org"), ("local_policy", null)] }));

        Assert.Equal([new PolicyOverrideReason("mailing_list", "list.example.org"), new PolicyOverrideReason("local_policy", null)], read.Records[0].Reasons);
    }

    [Fact]
    public void DateRangeAsDateTimes_IsReadWithAWarning()
    {
        var read = ParseXml(Report(new AggregateRow()) with { Begin = "2026-05-01T00:00:00", End = "2026-05-01T23:59:59Z" });

        Assert.Equal(Day, read.Report.Aggregate!.Metadata.Begin);
        Assert.Contains("date_range/begin '2026-05-01T00:00:00' is a date-time, not seconds since the epoch: read as UTC", read.Report.Warnings.ToList());
    }

    [Theory]
    [InlineData("1777593600", "1777507200", "report_metadata/date_range/end (1777507200) is before its begin (1777593600)")]
    [InlineData("yesterday", "1777593600", "report_metadata/date_range/begin 'yesterday' is not a time")]
    public void UnusableDateRange_MakesTheReportInvalid(string begin, string end, string reason)
    {
        Assert.Equal(reason, Invalid(AggregateXml.Bytes(Report(new AggregateRow()) with { Begin = begin, End = end })));
    }

    [Fact]
    public void NoRecords_ParsesWithAWarning()
    {
        var read = ParseXml(Report());

        Assert.Empty(read.Records);
        Assert.Equal(["the report holds no record"], read.Report.Warnings.ToList());
    }

    [Fact]
    public void PolicyEvaluatedWordsOutsideTheSchema_AreNoted()
    {
        var read = ParseXml(Report(new AggregateRow { Disposition = "Discard", Dkim = "neutral", DkimResults = [new DkimSignatureResult("example.com", "s", "Temp_Error"), new DkimSignatureResult("example.com", "t", "bogus")] }));

        var record = read.Records[0];
        Assert.Equal(("discard", "fail"), (record.Disposition, record.Dkim));
        Assert.Equal(["temperror", "bogus"], record.DkimResults.Select(d => d.Result));
        var warnings = read.Report.Warnings.ToList();
        Assert.Contains("disposition 'discard' is not none, quarantine or reject (record 1)", warnings);
        Assert.Contains("auth_results dkim result 'temp_error' read as temperror (record 1)", warnings);
        Assert.Contains("auth_results dkim result 'bogus' is not an RFC 8601 result (record 1)", warnings);
    }

    [Fact]
    public void ElementNamesInCapitals_AreRead()
    {
        var xml = System.Text.Encoding.UTF8.GetString(AggregateXml.Bytes(Report(new AggregateRow { SourceIp = "192.0.2.8" })))
            .Replace("<record>", "<Record>", StringComparison.Ordinal).Replace("</record>", "</Record>", StringComparison.Ordinal)
            .Replace("source_ip>", "Source_IP>", StringComparison.Ordinal);

        var read = Parsed(System.Text.Encoding.UTF8.GetBytes(xml));

        Assert.Equal(IPAddress.Parse("192.0.2.8"), Assert.Single(read.Records).SourceIp);
    }

    [Fact]
    public void LongValues_AreCutAndNoted()
    {
        var read = ParseXml(Report(new AggregateRow { HeaderFrom = new string('a', 10_000) + ".example" }));

        Assert.Equal(ReportXmlReader.MaxValueLength, read.Records[0].HeaderFrom!.Length);
        Assert.Contains("a value longer than 4096 characters was cut (record 1)", read.Report.Warnings.ToList());
    }
}
