using MailHealth.ReceiverReports;

namespace MailHealth.Core.Tests.ReceiverReports;

/// <summary>The cap on decompressed bytes stops the stream under it, not only the reader over it.</summary>
public sealed class CappedStreamTests
{
    [Fact]
    public void ReadingPastTheCap_AsksTheStreamUnderItForOneByteMoreAndNoFurther()
    {
        var endless = new EndlessStream();
        var capped = new CappedStream(endless, new ByteBudget(100_000, "over the cap"));

        var refused = Assert.Throws<InputRefusedException>(() => capped.CopyTo(Stream.Null, 81920));

        Assert.Equal("over the cap", refused.Message);
        Assert.Equal(100_001, endless.Given);
    }

    [Fact]
    public void TheBudget_IsSharedByEveryStreamOfOneInput()
    {
        var budget = new ByteBudget(1000, "over");
        new CappedStream(new MemoryStream(new byte[600]), budget).CopyTo(Stream.Null);

        Assert.Throws<InputRefusedException>(() => new CappedStream(new MemoryStream(new byte[600]), budget).CopyTo(Stream.Null));
        Assert.True(budget.Exhausted);
    }

    /// <summary>Zeros without end, counting how many it gave.</summary>
    private sealed class EndlessStream : ForwardOnlyStream
    {
        public long Given { get; private set; }

        public override int Read(Span<byte> buffer)
        {
            buffer.Clear();
            Given += buffer.Length;
            return buffer.Length;
        }
    }
}
