namespace MailHealth.ReceiverReports;

/// <summary>
/// Bytes an input may still produce: shared by every stream that counts against one cap (all the
/// decompressed documents of one input), refused at the cap with a message that names it.
/// </summary>
internal sealed class ByteBudget(long limit, string refusal)
{
    private long _used;

    public long Remaining => limit - _used;

    public bool Exhausted => _used > limit;

    /// <summary>What a refusal says: the cap and its setting.</summary>
    public string Refusal => refusal;

    /// <summary>Counts <paramref name="bytes"/> more; throws once the total passes the cap.</summary>
    public void Spend(long bytes)
    {
        _used += bytes;
        if (_used > limit)
        {
            throw new InputRefusedException(refusal);
        }
    }

    /// <summary>Spends what is left and more: for what is refused before it is read (an entry that declares its size).</summary>
    public void Exhaust() => _used = limit + 1;
}
