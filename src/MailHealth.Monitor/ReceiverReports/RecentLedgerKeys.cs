namespace MailHealth.Monitor.ReceiverReports;

/// <summary>
/// The identity keys of the reports this process last found in the ledger (it committed them, or
/// its commit found them there), at most <see cref="Capacity"/>, the oldest forgotten first. A
/// report among them received again in other bytes (the same report mailed to two monitored
/// addresses, or posted and mailed) is likely a duplicate: worth one read of the ledger before
/// its rows are written (<see cref="ReportProcessor"/>).
/// </summary>
internal sealed class RecentLedgerKeys
{
    /// <summary>Keys remembered: about 1.5 MB at the fullest, a day of a large tenant's reports.</summary>
    public const int Capacity = 10_000;

    private readonly Lock gate = new();
    private readonly HashSet<string> keys = new(StringComparer.Ordinal);
    private readonly Queue<string> order = new();

    public void Add(string key)
    {
        lock (gate)
        {
            if (keys.Add(key))
            {
                order.Enqueue(key);
                if (order.Count > Capacity)
                {
                    keys.Remove(order.Dequeue());
                }
            }
        }
    }

    public bool Contains(string key)
    {
        lock (gate)
        {
            return keys.Contains(key);
        }
    }
}
