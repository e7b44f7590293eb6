using System.Text;
using MailHealth.Cli.Rendering;

namespace MailHealth.Cli.Tests;

/// <summary>The commands' standard output: a flushed line goes out in one write, whole.</summary>
public sealed class StandardOutputTests
{
    [Fact]
    public async Task AFleetReportLine_IsWrittenInOneCallWhenFlushed()
    {
        var stream = new WriteCountingStream();
        await using var output = StandardOutput.Over(stream);
        var line = "{\"report\":\"" + new string('x', 20_000) + "\"}";

        await output.WriteLineAsync(line);
        Assert.Equal(0, stream.Writes);

        await output.FlushAsync();
        Assert.Equal(1, stream.Writes);
        Assert.Equal(line + "\n", Encoding.UTF8.GetString(stream.ToArray()));
    }

    [Fact]
    public async Task WhatIsNotFlushed_IsWrittenWhenTheOutputIsDisposed()
    {
        var stream = new WriteCountingStream();
        var output = StandardOutput.Over(stream);

        await output.WriteLineAsync("mailhealth serve: stopped");
        await output.DisposeAsync();

        // No byte order mark: a reader of JSON Lines would take it for part of the first line.
        Assert.Equal("mailhealth serve: stopped\n"u8.ToArray(), stream.ToArray());
    }

    // A stream derived from MemoryStream ends every write (span, asynchronous) in this one.
    private sealed class WriteCountingStream : MemoryStream
    {
        public int Writes { get; private set; }

        public override void Write(byte[] buffer, int offset, int count)
        {
            Writes++;
            base.Write(buffer, offset, count);
        }

        // The bytes stay readable after the writer disposes the stream.
        protected override void Dispose(bool disposing)
        {
        }
    }
}
