using System.Text;
using System.Text.RegularExpressions;
using MailHealth.Cli.Serve.Metrics;

namespace MailHealth.Cli.Tests.Serve;

public sealed partial class PrometheusTextWriterTests
{
    [Fact]
    public async Task Label_EscapesBackslashQuoteAndNewline_AndHelpItsBackslashAndNewline()
    {
        var text = await WriteAsync(async writer =>
        {
            writer.Gauge("test_info", "a \\ help\nover two lines with \"quotes\"");
            writer.Series("test_info").Label("target", "a\"b\\c\nd").Label("domain", "plain.test").Value(1);
            await Task.CompletedTask;
        });

        Assert.Equal(
            """
            # HELP test_info a \\ help\nover two lines with "quotes"
            # TYPE test_info gauge
            test_info{target="a\"b\\c\nd",domain="plain.test"} 1

            """.ReplaceLineEndings("\n"),
            text);
        Assert.Matches(SeriesLine(), text.Split('\n')[2]);
    }

    [Theory]
    [InlineData(0.25, "0.25")]
    [InlineData(-3, "-3")]
    [InlineData(1776000000.123, "1776000000.123")]
    [InlineData(double.NaN, "NaN")]
    [InlineData(double.PositiveInfinity, "+Inf")]
    [InlineData(double.NegativeInfinity, "-Inf")]
    public async Task Value_IsGosFloatSyntax_AndASeriesWithoutLabelsHasNoBraces(double value, string expected)
    {
        var text = await WriteAsync(writer =>
        {
            writer.Series("test_value").Value(value);
            return Task.CompletedTask;
        });

        Assert.Equal($"test_value {expected}\n", text);
    }

    [Fact]
    public async Task WriteIfFull_WritesInChunks_AndEverySeriesArrivesWholeAndInOrder()
    {
        const int Count = 5000;
        using var output = new ChunkCountingStream();
        var writer = new PrometheusTextWriter(output);
        writer.Gauge("test_status", "test");
        for (var i = 0; i < Count; i++)
        {
            writer.Series("test_status").Label("target", $"target-{i}").Label("check", "smtp:mx.example.test:25").Value(i);
            await writer.WriteIfFullAsync(CancellationToken.None);
        }

        await writer.FlushAsync(CancellationToken.None);

        Assert.True(output.Writes > 1, $"{output.Writes} writes");
        var lines = Encoding.UTF8.GetString(output.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(Count + 2, lines.Length);
        for (var i = 0; i < Count; i++)
        {
            Assert.Equal($"test_status{{target=\"target-{i}\",check=\"smtp:mx.example.test:25\"}} {i}", lines[i + 2]);
            Assert.Matches(SeriesLine(), lines[i + 2]);
        }
    }

    private static async Task<string> WriteAsync(Func<PrometheusTextWriter, Task> write)
    {
        using var output = new MemoryStream();
        var writer = new PrometheusTextWriter(output);
        await write(writer);
        await writer.FlushAsync(CancellationToken.None);
        return Encoding.UTF8.GetString(output.ToArray());
    }

    /// <summary>A series line of the text format 0.0.4: <c>name{label="value",...} value</c>, label values escaped.</summary>
    [GeneratedRegex("""^[a-zA-Z_:][a-zA-Z0-9_:]*(\{[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\[\\"n])*"(,[a-zA-Z_][a-zA-Z0-9_]*="(?:[^"\\\n]|\\[\\"n])*")*\})? (NaN|[+-]Inf|[-+]?[0-9.]+(e[-+]?[0-9]+)?)$""")]
    private static partial Regex SeriesLine();

    private sealed class ChunkCountingStream : MemoryStream
    {
        public int Writes { get; private set; }

        public override ValueTask WriteAsync(ReadOnlyMemory<byte> buffer, CancellationToken cancellationToken = default)
        {
            Writes++;
            return base.WriteAsync(buffer, cancellationToken);
        }
    }
}
