using MailHealth.ReceiverReports;
using MailHealth.Testing.Reports;
using static MailHealth.Core.Tests.ReceiverReports.ReportReading;

namespace MailHealth.Core.Tests.ReceiverReports;

/// <summary>
/// Inputs made to hurt: each is refused or read past with a reason, never expanded, never read to
/// its end when a cap says stop, and with the memory it takes bounded (measured as the bytes this
/// thread allocates, which a parser that expanded or buffered the input would multiply).
/// </summary>
public sealed class HostileInputTests
{
    private const long MiB = 1 << 20;

    private static readonly ReceiverReportSettings SmallCaps = new() { MaxDecompressedBytes = MiB, MaxArchiveEntries = 100 };

    [Fact]
    public void ExternalEntity_IsRefusedWithoutReadingTheFile()
    {
        var read = Single(HostileInputs.ExternalEntity());

        Assert.Equal(ReceivedReportStatus.Invalid, read.Report.Status);
        Assert.Null(read.Report.Aggregate);
        Assert.StartsWith("refused: the XML declares a DTD", read.Report.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public void BillionLaughs_IsRefusedWithoutExpanding()
    {
        var (reason, allocated) = Allocating(() => Invalid(HostileInputs.BillionLaughs()));

        Assert.StartsWith("refused: the XML declares a DTD", reason, StringComparison.Ordinal);
        Assert.True(allocated < 4 * MiB, $"{allocated:N0} bytes allocated");
    }

    [Fact]
    public void DoctypeBeyondWhatTheFormatIsRecognisedFrom_IsRefusedByTheXmlReader()
    {
        var reason = Invalid(HostileInputs.DoctypeAfterLongComment());

        Assert.StartsWith("malformed XML: ", reason, StringComparison.Ordinal);
        Assert.Contains("DTD", reason, StringComparison.Ordinal);
    }

    [Fact]
    public void GzipBomb_StopsAtTheDecompressionCap()
    {
        var bomb = HostileInputs.GzipBomb(256 * MiB);

        var (reason, allocated) = Allocating(() => Invalid(bomb, SmallCaps));

        Assert.Equal("refused: more than MailHealth:Reports:MaxDecompressedBytes (1,048,576 decompressed bytes)", reason);
        // 256 MiB expanded would allocate hundreds of megabytes; the cap lets through one.
        Assert.True(allocated < 16 * MiB, $"{allocated:N0} bytes allocated");
    }

    [Fact]
    public void ZipOfThousandsOfEntries_IsRefusedBeforeItsDirectoryIsRead()
    {
        var zip = HostileInputs.ZipOfEntries(5000);

        var (reason, allocated) = Allocating(() => Invalid(zip, SmallCaps));

        Assert.Equal("refused: a zip archive of 5,000 entries, more than MailHealth:Reports:MaxArchiveEntries (100)", reason);
        // ZipArchive reading the directory of these 5,000 entries allocates about 3 MB.
        Assert.True(allocated < 512 * 1024, $"{allocated:N0} bytes allocated");
    }

    [Fact]
    public void Zip64OfSeventyThousandEntries_IsRefusedFromItsZip64EndRecord()
    {
        var zip = HostileInputs.ZipOfEntries(70_000);

        var reason = Invalid(zip, SmallCaps);

        Assert.Equal("refused: a zip archive of 70,000 entries, more than MailHealth:Reports:MaxArchiveEntries (100)", reason);
    }

    [Fact]
    public void ZipEntryDeclaringMoreThanTheCap_IsRefusedUnread()
    {
        var zip = Containers.Zip(("small.xml", AggregateXml.Bytes(new AggregateReportSpec().ForDay(Day))), ("big.xml", new byte[2 * MiB]));

        var reports = Read(zip, SmallCaps);

        Assert.Equal(ReceivedReportStatus.Parsed, reports[0].Report.Status);
        Assert.Equal(("entry 'big.xml'", "refused: more than MailHealth:Reports:MaxDecompressedBytes (1,048,576 decompressed bytes)"), (reports[1].Report.Part, reports[1].Report.Reason));
    }

    [Fact]
    public void TruncatedXml_IsInvalidAfterTheRecordsBeforeTheCut()
    {
        var xml = AggregateXml.Bytes(Reporters.Microsoft("example.com", Day, AggregateRows.Mixed("example.com", 100, 10)));

        var read = Single(HostileInputs.Truncated(xml, 0.5));

        Assert.Equal(ReceivedReportStatus.Invalid, read.Report.Status);
        Assert.StartsWith("malformed XML: ", read.Report.Reason, StringComparison.Ordinal);
        Assert.InRange(read.Records.Count, 40, 50);
    }

    [Fact]
    public void TruncatedGzip_IsInvalid()
    {
        var gzip = Containers.Gzip(AggregateXml.Bytes(Reporters.Google("example.com", Day, AggregateRows.Mixed("example.com", 200, 10))));

        Assert.StartsWith("malformed XML: ", Invalid(HostileInputs.Truncated(gzip, 0.5)), StringComparison.Ordinal);
    }

    [Fact]
    public async Task MessageOverTheMessageCap_IsRefusedOneByteAfterTheCap()
    {
        var settings = new ReceiverReportSettings();
        var message = HostileInputs.LargeMessage(30_000_000);
        var stream = new CountingStream(new MemoryStream(message));

        var results = new List<ReceivedReport>();
        await foreach (var report in new ReportInputReader(settings).ReadAsync(stream, CancellationToken.None))
        {
            results.Add(report);
        }

        Assert.Equal("refused: more than MailHealth:Reports:MaxMessageBytes (26,214,400 bytes)", Assert.Single(results).Reason);
        Assert.Equal(settings.MaxMessageBytes + 1, stream.BytesRead);
    }

    [Fact]
    public async Task FileOverTheMessageCap_IsRefusedByItsLengthUnread()
    {
        var stream = new MemoryStream(new byte[70_000]);

        var results = new List<ReceivedReport>();
        await foreach (var report in new ReportInputReader(new ReceiverReportSettings { MaxMessageBytes = 65_536 }).ReadAsync(stream, CancellationToken.None))
        {
            results.Add(report);
        }

        Assert.Equal("refused: more than MailHealth:Reports:MaxMessageBytes (65,536 bytes)", Assert.Single(results).Reason);
        Assert.Equal(0, stream.Position);
    }

    [Fact]
    public void Bounce_IsNoReport() =>
        Assert.Equal("no report in this message (a delivery status notification)", Invalid(ReportMail.Bytes(ReportMail.Bounce(Day))));

    [Fact]
    public void HumanReply_IsNoReport() =>
        Assert.Equal("no report in this message (no part is gzip, zip, XML or JSON; its parts: part text/plain, part text/html)", Invalid(ReportMail.Bytes(ReportMail.HumanReply(Day))));

    [Fact]
    public void Spam_IsNoReport() =>
        Assert.Equal("no report in this message (no part is gzip, zip, XML or JSON; its parts: part text/html, attachment 'offer.png')", Invalid(ReportMail.Bytes(ReportMail.Spam(Day))));

    [Fact]
    public void MessageOfMorePartsThanTheCap_IsRefused()
    {
        var parts = Enumerable.Range(0, 101).Select(i => ReportMail.Part("text/plain", "x"u8.ToArray(), $"{i}.txt")).ToArray();

        var reason = Invalid(ReportMail.Bytes(ReportMail.WithAttachments("x@example.org", "parts", Day, parts)), SmallCaps);

        Assert.Equal("refused: a message of 102 parts, more than MailHealth:Reports:MaxArchiveEntries (100)", reason);
    }

    [Fact]
    public void ContainersNestedTooDeep_AreRefused()
    {
        var nested = AggregateXml.Bytes(new AggregateReportSpec().ForDay(Day));
        for (var i = 0; i < 6; i++)
        {
            nested = Containers.Gzip(nested);
        }

        Assert.Equal("refused: containers nested more than 4 deep", Invalid(nested));
    }

    private static (T Result, long Allocated) Allocating<T>(Func<T> action)
    {
        var before = GC.GetAllocatedBytesForCurrentThread();
        var result = action();
        return (result, GC.GetAllocatedBytesForCurrentThread() - before);
    }

    /// <summary>A stream that cannot seek and counts what is read from it.</summary>
    private sealed class CountingStream(Stream inner) : ForwardOnlyStream
    {
        public long BytesRead { get; private set; }

        public override int Read(Span<byte> buffer)
        {
            var read = inner.Read(buffer);
            BytesRead += read;
            return read;
        }
    }
}
