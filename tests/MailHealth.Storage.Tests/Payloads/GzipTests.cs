using System.Text;
using System.Text.Json;
using Azure.Data.Tables;
using MailHealth.Reports;
using MailHealth.Storage.Payloads;
using MailHealth.Storage.Tests.Infrastructure;

namespace MailHealth.Storage.Tests.Payloads;

public sealed class GzipTests
{
    [Fact]
    public void CompressJson_IsWhatCompressingTheSerializedJsonGives_AndCountsItsBytes()
    {
        var report = TestReports.Report(TestReports.RunAt("t1", 1), smtpEvidence: new Dictionary<string, object?> { ["banner"] = "220 mx.example.com ESMTP é" });
        var json = JsonSerializer.SerializeToUtf8Bytes(report, ReportJson.Options);

        var compressed = Gzip.CompressJson(report, ReportJson.Options, out var jsonBytes);

        Assert.Equal(json.Length, jsonBytes);
        Assert.Equal(Gzip.Compress(json), compressed);
        Assert.Equal(ReportJson.Serialize(report), Encoding.UTF8.GetString(Gzip.Decompress(compressed)));
        Assert.Equal(ReportJson.Serialize(report), ReportJson.Serialize(Gzip.DecompressJson<Report>(compressed, ReportJson.Options)));
    }

    [Theory]
    [InlineData(0, false)]
    [InlineData(1, false)]
    [InlineData(100_000, false)]
    [InlineData(3_000_000, true)]
    public void Decompress_ReturnsTheBytesCompressed(int length, bool repetitive)
    {
        var data = new byte[length];
        new Random(length).NextBytes(data);
        if (repetitive)
        {
            // Text-like data that compresses well, as reports do: the result is sized from the trailer, not the input.
            data.AsSpan().Fill((byte)'a');
        }

        Assert.Equal(data, Gzip.Decompress(Gzip.Compress(data)));
    }

    [Fact]
    public void Decompress_TrailerClaimingMoreThanTheData_FailsAsCorruptDataDoes()
    {
        var compressed = Gzip.Compress(Encoding.UTF8.GetBytes(new string('x', 1000)));
        compressed[^4]++;

        Assert.Throws<InvalidDataException>(() => Gzip.Decompress(compressed));
    }

    [Fact]
    public void Decompress_TwoMembers_IsRefusedRatherThanCut()
    {
        // The last member's trailer counts only its own bytes: reading that many would drop the first member's.
        var member = Gzip.Compress(Encoding.UTF8.GetBytes(new string('x', 1000)));

        Assert.Throws<StoredDataException>(() => Gzip.Decompress([.. member, .. member]));
    }

    [Fact]
    public void SpreadThenGather_PayloadInOneProperty_IsStoredAndReturnedWithoutACopy()
    {
        var payload = Gzip.CompressJson(new Dictionary<string, string> { ["mx"] = "mx1.example.com" });
        var main = new TableEntity("pk", "main");

        Assert.Empty(ChunkedPayload.Spread(main, "S", payload, "w1", _ => throw new InvalidOperationException("no overflow expected")));

        Assert.Same(payload, main["S000"]);
        Assert.Same(payload, ChunkedPayload.Gather(main, "S", []));
        Assert.Equal("mx1.example.com", Gzip.DecompressJson<Dictionary<string, string>>(ChunkedPayload.Gather(main, "S", []))!["mx"]);
    }
}
