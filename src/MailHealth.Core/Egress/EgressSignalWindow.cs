namespace MailHealth.Egress;

/// <summary>The window of one process: each target's latest signals, forgotten after <see cref="Length"/>.</summary>
public sealed class EgressSignalWindow(TimeProvider time, TimeSpan length) : IEgressSignalWindow
{
    private readonly Dictionary<string, (DateTimeOffset At, IReadOnlyList<PortProbeSignal> Signals)> _latest = new(StringComparer.Ordinal);
    private readonly Lock _lock = new();

    public TimeSpan Length => length;

    public Task<IReadOnlyList<PortProbeSignal>> RecordAndReadAsync(string targetId, IReadOnlyList<PortProbeSignal> signals, CancellationToken cancellationToken)
    {
        var now = time.GetUtcNow();
        lock (_lock)
        {
            _latest[targetId] = (now, signals);
            foreach (var stale in _latest.Where(p => now - p.Value.At > length).Select(p => p.Key).ToList())
            {
                _latest.Remove(stale);
            }

            return Task.FromResult<IReadOnlyList<PortProbeSignal>>([.. _latest.Values.SelectMany(v => v.Signals)]);
        }
    }
}
