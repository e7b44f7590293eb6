namespace MailHealth.ReceiverReports;

/// <summary>
/// A read-only stream that counts what it reads against a <see cref="ByteBudget"/> and stops the
/// read once the cap is passed: it never asks the stream under it for more than one byte past the
/// cap, so a gzip bomb is decompressed to its cap and no further, never to its end.
/// </summary>
internal sealed class CappedStream(Stream inner, ByteBudget budget, bool leaveOpen = false) : ForwardOnlyStream
{
    public override int Read(Span<byte> buffer)
    {
        var allowed = (int)Math.Min(buffer.Length, Math.Max(budget.Remaining, 0) + 1);
        var read = inner.Read(buffer[..allowed]);
        budget.Spend(read);
        return read;
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing && !leaveOpen)
        {
            inner.Dispose();
        }

        base.Dispose(disposing);
    }
}
