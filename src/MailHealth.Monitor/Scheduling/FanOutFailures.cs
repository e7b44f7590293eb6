namespace MailHealth.Monitor.Scheduling;

/// <summary>
/// What a tick's fan-out could not send, shared by its concurrent sends: the targets whose probe
/// request failed or was skipped, the last failure's reason, and how many failed one after
/// another since the last send that went through (<see cref="ProbeScheduler.FailuresInARow"/> of
/// them say storage is down).
/// </summary>
internal sealed class FanOutFailures
{
    private readonly Lock gate = new();
    private List<string> unsent = [];
    private int inARow;

    /// <summary>Enough sends failed in a row to stop trying.</summary>
    public bool StorageDown
    {
        get
        {
            lock (gate)
            {
                return inARow >= ProbeScheduler.FailuresInARow;
            }
        }
    }

    public string LastReason { get; private set; } = "";

    public IReadOnlyList<string> Unsent
    {
        get
        {
            lock (gate)
            {
                return [.. unsent];
            }
        }
    }

    public void Sent()
    {
        lock (gate)
        {
            inARow = 0;
        }
    }

    public void Failed(string targetId, string reason)
    {
        lock (gate)
        {
            inARow++;
            unsent.Add(targetId);
            LastReason = reason;
        }
    }

    /// <summary>Not tried: storage was already down.</summary>
    public void Skipped(string targetId)
    {
        lock (gate)
        {
            unsent.Add(targetId);
        }
    }

    /// <summary>The targets not sent so far, for one more try; the run of failures starts again.</summary>
    public IReadOnlyList<string> TakeUnsent()
    {
        lock (gate)
        {
            var taken = unsent;
            unsent = [];
            inARow = 0;
            return taken;
        }
    }
}
