using System.Text;
using MailHealth.ReceiverReports;
using MailHealth.Testing.Reports;
using MimeKit;
using static MailHealth.Core.Tests.ReceiverReports.ReportReading;

namespace MailHealth.Core.Tests.ReceiverReports;

/// <summary>Every way a report arrives, recognised from its bytes whatever its name or label says; several reports in one input each returned.</summary>
public sealed class ReportContainerTests
{
    private static AggregateReportSpec Spec(string reportId = "1", int rows = 3) =>
        Reporters.Google("example.com", Day, AggregateRows.Mixed("example.com", rows, 3)) with { ReportId = reportId };

    private static byte[] Xml(string reportId = "1", int rows = 3) => AggregateXml.Bytes(Spec(reportId, rows));

    [Fact]
    public void BareXml_IsTheReport()
    {
        var read = Parsed(Xml());

        Assert.Null(read.Report.Part);
        Assert.Equal(3, read.Records.Count);
    }

    [Fact]
    public void XmlWithByteOrderMark_IsRecognised()
    {
        var read = Parsed([0xEF, 0xBB, 0xBF, .. Xml()]);

        Assert.Equal(3, read.Records.Count);
    }

    [Theory]
    [InlineData("windows-1252")]
    [InlineData("ISO-8859-1")]
    [InlineData("UTF-16")]
    public void XmlInALegacyEncoding_IsDecodedAsItsDeclarationSays(string encodingName)
    {
        var spec = Spec() with { XmlDeclaration = $"<?xml version=\"1.0\" encoding=\"{encodingName}\"?>", OrgName = "Bäckerei Müller" };
        var text = Encoding.UTF8.GetString(AggregateXml.Bytes(spec));
        var encoding = CodePagesEncodingProvider.Instance.GetEncoding(encodingName) ?? Encoding.GetEncoding(encodingName);

        var read = Parsed([.. encoding.GetPreamble(), .. encoding.GetBytes(text)]);

        Assert.Equal("Bäckerei Müller", read.Report.Aggregate!.Metadata.OrgName);
    }

    [Fact]
    public void GzipWithTrailingGarbage_IsRead()
    {
        var read = Parsed(Containers.Gzip(Xml(), trailing: Encoding.ASCII.GetBytes("\r\n-- \r\ntrailing bytes of a sloppy sender\r\n")));

        Assert.Equal(3, read.Records.Count);
    }

    [Fact]
    public void ZipNamedAttachmentThatIsGzip_IsReadAsGzip()
    {
        var message = ReportMail.WithAttachments("dmarc@mail.example.net", "Report", Day, ReportMail.Part("application/zip", Containers.Gzip(Xml()), "report.zip"));

        var read = Parsed(ReportMail.Bytes(message));

        Assert.Equal("attachment 'report.zip'", read.Report.Part);
        Assert.Equal(3, read.Records.Count);
    }

    [Fact]
    public void ZipOfSeveralDocuments_GivesEachReportInOrder()
    {
        var tls = TlsReportJson.Bytes(Reporters.GoogleTls("example.com", Day));
        var zip = Containers.Zip(("a.xml", Xml("a")), ("folder/b.xml.gz", Containers.Gzip(Xml("b", rows: 5))), ("c.json", tls));

        var reports = Read(zip);

        Assert.Equal(["entry 'a.xml'", "entry 'folder/b.xml.gz'", "entry 'c.json'"], reports.Select(r => r.Report.Part));
        Assert.All(reports, r => Assert.Equal(ReceivedReportStatus.Parsed, r.Report.Status));
        Assert.Equal(["a", "b"], reports.Take(2).Select(r => r.Report.Aggregate!.Metadata.ReportId));
        Assert.Equal([3, 5], reports.Take(2).Select(r => r.Records.Count));
        Assert.Equal(ReceivedReportKind.TlsRpt, reports[2].Report.Kind);
    }

    [Fact]
    public void MessageWithTwoAttachments_GivesBothReports()
    {
        var message = ReportMail.WithAttachments("dmarc@mail.example.net", "Reports", Day,
            ReportMail.Part("application/gzip", Containers.Gzip(Xml("first")), "first.xml.gz"),
            ReportMail.Part("application/octet-stream", Containers.Zip(("second.xml", Xml("second"))), "second.zip"));

        var reports = Read(ReportMail.Bytes(message));

        Assert.Equal(["first", "second"], reports.Select(r => r.Report.Aggregate!.Metadata.ReportId));
        Assert.Equal(["attachment 'first.xml.gz'", "attachment 'second.zip', entry 'second.xml'"], reports.Select(r => r.Report.Part));
    }

    [Fact]
    public void UncompressedTextXmlPart_IsRead()
    {
        var read = Parsed(Reporters.InlineXmlMessage(Spec()));

        Assert.Equal("part text/xml", read.Report.Part);
    }

    [Fact]
    public void ReportAsTheBodyOfANonMultipartMessage_IsRead()
    {
        var read = Parsed(Reporters.BodyOnlyMessage(Spec()));

        Assert.Equal(3, read.Records.Count);
    }

    [Fact]
    public void ForwardedReport_InsideAnAttachedMessage_IsFound()
    {
        using var original = MimeMessage.Load(new MemoryStream(Reporters.GoogleMessage(Spec())));
        var forward = ReportMail.Message("admin@example.com", "Fwd: Report domain: example.com", new Multipart("mixed")
        {
            new TextPart("plain") { Text = "See the report below." },
            new MessagePart { Message = original },
        }, Day);

        var read = Parsed(ReportMail.Bytes(forward));

        Assert.Equal(3, read.Records.Count);
    }

    [Fact]
    public void TlsReportAsRawGzipFile_IsRead()
    {
        var read = Parsed(Containers.Gzip(TlsReportJson.Bytes(Reporters.GoogleTls("example.com", Day))));

        Assert.Equal(ReceivedReportKind.TlsRpt, read.Report.Kind);
    }

    [Fact]
    public void MboxFromLine_IsReadAsAMessage()
    {
        var read = Parsed([.. "From dmarc@mail.example.net Fri May  1 00:00:00 2026\n"u8, .. Reporters.MicrosoftMessage(Spec())]);

        Assert.Equal(3, read.Records.Count);
    }

    [Theory]
    [InlineData(new byte[0], "not a report: empty")]
    [InlineData(new byte[] { 0x00, 0x01, 0x02, 0xFF, 0xFE, 0x7F }, "not a report: the bytes are none of gzip, zip, XML, JSON or an e-mail message")]
    public void NoKnownFormat_IsInvalid(byte[] input, string reason) => Assert.Equal(reason, Invalid(input));

    [Fact]
    public void HtmlDocument_IsNoReport() =>
        Assert.Equal("not a report: an HTML document", Invalid("<!DOCTYPE html>\n<html><body>Hi</body></html>"u8.ToArray()));

    [Fact]
    public void XmlOfAnotherKind_IsInvalidNamingItsRoot() =>
        Assert.Equal("XML whose root element is <rss>, not the <feedback> of a DMARC aggregate report", Invalid("<?xml version=\"1.0\"?><rss><channel/></rss>"u8.ToArray()));

    [Fact]
    public void CorruptZip_IsInvalid()
    {
        // Cut before its end of central directory record.
        var zip = Containers.Zip(("a.xml", Xml()))[..^30];

        var reason = Invalid(zip);

        Assert.StartsWith("a corrupt zip archive", reason, StringComparison.Ordinal);
    }
}
