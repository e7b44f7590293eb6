using System.Buffers;
using System.Globalization;
using System.Text;

namespace MailHealth.Cli.Serve.Metrics;

/// <summary>
/// Writes gauges in the Prometheus text exposition format 0.0.4 to a stream, a chunk at a time:
/// a family's <c># HELP</c> and <c># TYPE</c> lines, then its series as
/// <c>name{label="value",...} value</c>. The text is built in a small reused buffer and written
/// out whenever it fills, so a fleet's tens of thousands of series never exist in memory at once.
/// </summary>
internal sealed class PrometheusTextWriter(Stream output)
{
    /// <summary>Well under the large-object heap's 85,000 bytes, for the buffer and its encoded bytes.</summary>
    private const int ChunkChars = 16 * 1024;

    private readonly StringBuilder text = new(ChunkChars + 1024);
    private int labels;

    /// <summary>Starts a family: its help (backslash and newline escaped, as the format asks) and its type, gauge.</summary>
    public void Gauge(string name, string help)
    {
        text.Append("# HELP ").Append(name).Append(' ');
        AppendEscaped(help, escapeQuotes: false);
        text.Append("\n# TYPE ").Append(name).Append(" gauge\n");
    }

    public PrometheusTextWriter Series(string name)
    {
        text.Append(name);
        labels = 0;
        return this;
    }

    /// <summary>One label; its value with backslash, double quote and newline escaped.</summary>
    public PrometheusTextWriter Label(string name, ReadOnlySpan<char> value)
    {
        text.Append(labels++ == 0 ? '{' : ',').Append(name).Append("=\"");
        AppendEscaped(value, escapeQuotes: true);
        text.Append('"');
        return this;
    }

    /// <summary>Ends the series with its value (Go's float syntax: <c>NaN</c>, <c>+Inf</c>, <c>-Inf</c>).</summary>
    public void Value(double value)
    {
        text.Append(labels > 0 ? "} " : " ");
        if (double.IsNaN(value))
        {
            text.Append("NaN");
        }
        else if (double.IsInfinity(value))
        {
            text.Append(value > 0 ? "+Inf" : "-Inf");
        }
        else
        {
            Span<char> digits = stackalloc char[32];
            // The shortest text that reads back as the same double, as prometheus-net writes it.
            value.TryFormat(digits, out var written, provider: CultureInfo.InvariantCulture);
            text.Append(digits[..written]);
        }

        text.Append('\n');
    }

    /// <summary>Writes the buffer out once it holds a chunk; call between series.</summary>
    public ValueTask WriteIfFullAsync(CancellationToken cancellationToken) =>
        text.Length >= ChunkChars ? FlushAsync(cancellationToken) : ValueTask.CompletedTask;

    public async ValueTask FlushAsync(CancellationToken cancellationToken)
    {
        if (text.Length == 0)
        {
            return;
        }

        var bytes = ArrayPool<byte>.Shared.Rent(Encoding.UTF8.GetMaxByteCount(text.Length));
        try
        {
            var length = 0;
            foreach (var chunk in text.GetChunks())
            {
                length += Encoding.UTF8.GetBytes(chunk.Span, bytes.AsSpan(length));
            }

            text.Clear();
            await output.WriteAsync(bytes.AsMemory(0, length), cancellationToken).ConfigureAwait(false);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(bytes);
        }
    }

    private void AppendEscaped(ReadOnlySpan<char> value, bool escapeQuotes)
    {
        foreach (var c in value)
        {
            _ = c switch
            {
                '\\' => text.Append(@"\\"),
                '\n' => text.Append(@"\n"),
                '"' when escapeQuotes => text.Append("\\\""),
                _ => text.Append(c),
            };
        }
    }
}
