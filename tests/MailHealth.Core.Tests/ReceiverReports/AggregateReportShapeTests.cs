using System.Net;
using MailHealth.ReceiverReports;
using MailHealth.Testing.Reports;
using static MailHealth.Core.Tests.ReceiverReports.ReportReading;

namespace MailHealth.Core.Tests.ReceiverReports;

/// <summary>DMARC aggregate reports in the shapes the large receivers send, each in its usual container.</summary>
public sealed class AggregateReportShapeTests
{
    private const string Domain = "example.com";

    private static List<AggregateRow> Rows(int count) => [.. AggregateRows.Mixed(Domain, count, sources: 10)];

    [Fact]
    public void Google_ZippedAttachment_GivesMetadataAndEveryRecord()
    {
        var spec = Reporters.Google(Domain, Day, Rows(20));

        var read = Parsed(Reporters.GoogleMessage(spec));

        var report = read.Report;
        Assert.Equal(ReceivedReportKind.Dmarc, report.Kind);
        var metadata = report.Aggregate!.Metadata;
        Assert.Equal("google.com", metadata.OrgName);
        Assert.Equal(spec.ReportId, metadata.ReportId);
        Assert.Equal(Day, metadata.Begin);
        Assert.Equal(Day.AddDays(1).AddSeconds(-1), metadata.End);
        Assert.Null(metadata.Version);
        Assert.Null(metadata.Namespace);
        Assert.Equal(Domain, report.Aggregate.Policy.Domain);
        Assert.Equal(100, report.Aggregate.Policy.Pct);
        Assert.StartsWith("attachment 'google.com!example.com!", report.Part, StringComparison.Ordinal);
        Assert.Contains(".zip', entry 'google.com!example.com!", report.Part, StringComparison.Ordinal);
        Assert.Equal(20, read.Records.Count);
        Assert.All(read.Records, r => Assert.Null(r.EnvelopeFrom));
        Assert.Equal(Rows(20).Sum(r => long.Parse(r.Count!, System.Globalization.CultureInfo.InvariantCulture)), read.Records.Sum(r => r.Count));
        Assert.Empty(report.Warnings.ToList());
    }

    [Fact]
    public void Microsoft_GzippedAttachment_KeepsEnvelopeAndScope()
    {
        var read = Parsed(Reporters.MicrosoftMessage(Reporters.Microsoft(Domain, Day, Rows(14))));

        var aggregate = read.Report.Aggregate!;
        Assert.Equal("Enterprise Outlook", aggregate.Metadata.OrgName);
        Assert.Equal("1.0", aggregate.Metadata.Version);
        Assert.Equal("quarantine", aggregate.Policy.P);
        Assert.Equal("0", aggregate.Policy.Fo);
        Assert.Equal(14, read.Records.Count);
        var spoofed = read.Records[6];
        Assert.Equal("example.org", spoofed.EnvelopeFrom);
        Assert.Equal("example.net", spoofed.EnvelopeTo);
        Assert.Equal("quarantine", spoofed.Disposition);
        Assert.False(spoofed.DmarcPass);
        var spf = Assert.Single(spoofed.SpfResults);
        Assert.Equal(new SpfAuthResult("example.org", "mfrom", "softfail"), spf);
        Assert.True(read.Records[0].DmarcPass);
    }

    [Fact]
    public void Yahoo_CompactXmlWithoutVersion_Parses()
    {
        var spec = Reporters.Yahoo(Domain, Day, Rows(12));

        var read = Parsed(Reporters.MicrosoftMessage(spec));

        Assert.Equal("Yahoo", read.Report.Aggregate!.Metadata.OrgName);
        Assert.Equal(spec.ReportId, read.Report.Aggregate.Metadata.ReportId);
        Assert.Null(read.Report.Aggregate.Metadata.Version);
        Assert.Equal(12, read.Records.Count);
        // Every eleventh row passes on SPF alone: no DKIM result at all.
        Assert.Empty(read.Records[10].DkimResults);
        Assert.True(read.Records[10].DmarcPass);
    }

    [Fact]
    public void Rfc9990_NamespaceNewElementsAndExtensions_AreReadAndExtensionsSkipped()
    {
        var read = Parsed(Reporters.BodyOnlyMessage(Reporters.Rfc9990(Domain, Day, Rows(7))));

        var aggregate = read.Report.Aggregate!;
        Assert.Equal("urn:ietf:params:xml:ns:dmarc-2.0", aggregate.Metadata.Namespace);
        Assert.Equal("Example DMARC reporter 2.1", aggregate.Metadata.Generator);
        Assert.Equal(new AggregatePolicy { Domain = Domain, DiscoveryMethod = "treewalk", P = "reject", Np = "reject", Adkim = "r", Aspf = "r", Testing = "n" }, aggregate.Policy);
        Assert.Equal(7, read.Records.Count);
        Assert.Equal(IPAddress.Parse("192.0.2.0"), read.Records[0].SourceIp);
        Assert.Equal(new DkimAuthResult(Domain, "s2026", "pass", null), Assert.Single(read.Records[0].DkimResults));
        Assert.Empty(read.Report.Warnings.ToList());
    }

    [Fact]
    public void IPv6Sources_AreKeptAsIPv6()
    {
        var rows = AggregateRows.Mixed(Domain, 800, sources: 800).Skip(790);

        var read = Parsed(AggregateXml.Bytes(Reporters.Google(Domain, Day, rows)));

        Assert.All(read.Records, r => Assert.Equal(System.Net.Sockets.AddressFamily.InterNetworkV6, r.SourceIp.AddressFamily));
        Assert.Equal(IPAddress.Parse("2001:db8::20"), read.Records[^1].SourceIp);
    }
}
