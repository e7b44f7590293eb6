namespace MailHealth.Egress;

/// <summary>
/// Each target's latest port-25 signals and when they were seen, as an egress window holds them
/// (not thread-safe: the window locks). Reading costs one signal, not the fleet, in the usual
/// case: once any port-25 probe got an answer within the window, the fleet's port 25 is open
/// whatever the other signals say (<see cref="EgressAnalysis.Judge"/>), so that answer alone is
/// what the verdict needs. Only while no port-25 probe has answered are all the signals read, and
/// then the stale rows are dropped on the way.
/// </summary>
public sealed class EgressSignalRows
{
    private readonly Dictionary<string, (DateTimeOffset At, IReadOnlyList<PortProbeSignal> Signals)> _rows = new(StringComparer.Ordinal);
    // The newest port-25 answer among the targets' latest signals; null when none is known (a scan finds out).
    private (DateTimeOffset At, string TargetId, PortProbeSignal Signal)? _answered;

    /// <summary>Each target's row: when its signals were seen, and them.</summary>
    public IEnumerable<KeyValuePair<string, (DateTimeOffset At, IReadOnlyList<PortProbeSignal> Signals)>> Rows => _rows;

    /// <summary>The signals of <paramref name="targetId"/> seen at <paramref name="at"/>, replacing its earlier ones.</summary>
    public void Set(string targetId, DateTimeOffset at, IReadOnlyList<PortProbeSignal> signals)
    {
        ArgumentNullException.ThrowIfNull(signals);
        _rows[targetId] = (at, signals);
        if (Answer(signals) is { } answer)
        {
            if (_answered is not { } known || known.At <= at)
            {
                _answered = (at, targetId, answer);
            }
        }
        else if (_answered is { } known && known.TargetId == targetId)
        {
            // That target's port 25 no longer answers: only a scan can tell whether another's does.
            _answered = null;
        }
    }

    /// <summary>
    /// What the verdict needs of the signals seen within <paramref name="window"/> before
    /// <paramref name="now"/>: the latest port-25 answer alone when there is one, else every signal.
    /// </summary>
    public IReadOnlyList<PortProbeSignal> Within(DateTimeOffset now, TimeSpan window)
    {
        if (_answered is { } answered && now - answered.At <= window)
        {
            return [answered.Signal];
        }

        _answered = null;
        var within = new List<PortProbeSignal>();
        foreach (var (targetId, row) in _rows.ToList())
        {
            if (now - row.At > window)
            {
                _rows.Remove(targetId);
                continue;
            }

            within.AddRange(row.Signals);
            if (Answer(row.Signals) is { } answer && (_answered is not { } newest || newest.At <= row.At))
            {
                _answered = (row.At, targetId, answer);
            }
        }

        return _answered is { } found ? [found.Signal] : within;
    }

    private static PortProbeSignal? Answer(IReadOnlyList<PortProbeSignal> signals)
    {
        foreach (var signal in signals)
        {
            if (signal is { Port: 25, TimedOut: false })
            {
                return signal;
            }
        }

        return null;
    }
}
