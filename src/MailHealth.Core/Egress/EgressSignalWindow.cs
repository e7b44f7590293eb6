namespace MailHealth.Egress;

/// <summary>The window of one process: each target's latest signals, forgotten after <see cref="Length"/>.</summary>
public sealed class EgressSignalWindow(TimeProvider time, TimeSpan length) : IEgressSignalWindow
{
    private readonly EgressSignalRows _rows = new();
    private readonly Lock _lock = new();

    public TimeSpan Length => length;

    public Task<IReadOnlyList<PortProbeSignal>> RecordAndReadAsync(string targetId, IReadOnlyList<PortProbeSignal> signals, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        lock (_lock)
        {
            _rows.Set(targetId, now, signals);
            return Task.FromResult(_rows.Within(now, length));
        }
    }
}
