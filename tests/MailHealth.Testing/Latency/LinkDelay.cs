namespace MailHealth.Testing.Latency;

/// <summary>
/// The one-way delay of an emulated network link, shared by every proxy on it and changeable
/// while they run (a benchmark measures the same fleet with and without latency). A change
/// applies to what is sent from then on; what is already on its way keeps its time.
/// </summary>
public sealed class LinkDelay(TimeSpan oneWay)
{
    private long _ticks = Checked(oneWay).Ticks;

    public TimeSpan OneWay
    {
        get => TimeSpan.FromTicks(Interlocked.Read(ref _ticks));
        set => Interlocked.Exchange(ref _ticks, Checked(value).Ticks);
    }

    /// <summary>There and back: what a TCP handshake costs before the server sees the connection.</summary>
    public TimeSpan RoundTrip => OneWay * 2;

    private static TimeSpan Checked(TimeSpan value)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(value, TimeSpan.Zero);
        return value;
    }
}
