namespace MailHealth.Sharing;

/// <summary>
/// Remembers, in a fixed table of hashes, which keys were asked for once (the "doorkeeper" of
/// TinyLFU): what a fleet shares comes again and again, what belongs to one target comes once,
/// and only the first is worth keeping. The table never grows; a collision only makes it forget
/// a key (it is then kept one ask later) or, rarely, keep one that came once.
/// </summary>
internal sealed class Doorkeeper
{
    private const int Slots = 1 << 16;
    private readonly int[] _askedOnce = new int[Slots];

    /// <summary>True when <paramref name="key"/> was asked for before (as far as the table remembers); remembers it otherwise.</summary>
    public bool AskedBefore<TKey>(TKey key)
        where TKey : notnull
    {
        // Zero marks an empty slot, so a hash of zero is moved to one.
        var hash = key.GetHashCode() is var h && h != 0 ? h : 1;
        var slot = (int)((uint)hash % Slots);
        return Interlocked.Exchange(ref _askedOnce[slot], hash) == hash;
    }
}
