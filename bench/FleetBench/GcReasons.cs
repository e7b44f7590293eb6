using System.Collections.Concurrent;
using System.Diagnostics.Tracing;

namespace MailHealth.Bench;

/// <summary>
/// Why the collector ran while a measurement lasted: the runtime's GCStart events (generation and
/// reason, as the runtime's event manifest numbers them), so a profile can tell the collections
/// the allocation rate asks for from those something else brings on (large objects, induced).
/// </summary>
internal sealed class GcReasons : EventListener
{
    // GCStart's reason field (the runtime's GC_REASON enumeration).
    private static readonly string[] Names =
    [
        "small allocations", "induced", "low memory", "empty", "large objects", "out of space (small)",
        "out of space (large)", "induced, not forced", "internal", "induced, low memory", "induced, compacting",
        "low memory, host", "PM full", "low memory, host, blocking", "bgc tuning (small)", "bgc tuning (large)", "bgc stepping", "induced, aggressive",
    ];

    private readonly ConcurrentDictionary<(int Generation, string Reason), int> _counts = new();
    private readonly ConcurrentDictionary<string, long> _large = new();
    private readonly ConcurrentDictionary<string, long> _small = new();

    protected override void OnEventSourceCreated(EventSource eventSource)
    {
        if (eventSource.Name == "Microsoft-Windows-DotNETRuntime")
        {
            // The GC keyword (0x1): GCStart at Informational level, the allocation ticks (one per
            // about 100 KB allocated, with the type) at Verbose.
            EnableEvents(eventSource, EventLevel.Verbose, (EventKeywords)0x1);
        }
    }

    protected override void OnEventWritten(EventWrittenEventArgs eventData)
    {
        if (eventData.PayloadNames is not { } names)
        {
            return;
        }

        if (eventData.EventName?.StartsWith("GCAllocationTick", StringComparison.Ordinal) == true)
        {
            // AllocationKind 1: the large object heap; 0 the small (a tick names the type whose allocation crossed the next 100 KB).
            var amount = Convert.ToInt64(eventData.Payload![names.IndexOf("AllocationAmount64")], System.Globalization.CultureInfo.InvariantCulture);
            var heap = Convert.ToInt32(eventData.Payload[names.IndexOf("AllocationKind")], System.Globalization.CultureInfo.InvariantCulture) == 1 ? _large : _small;
            heap.AddOrUpdate(eventData.Payload[names.IndexOf("TypeName")] as string ?? "?", amount, (_, n) => n + amount);

            return;
        }

        if (eventData.EventName?.StartsWith("GCStart", StringComparison.Ordinal) != true)
        {
            return;
        }

        var depth = Convert.ToInt32(eventData.Payload![names.IndexOf("Depth")], System.Globalization.CultureInfo.InvariantCulture);
        var reason = Convert.ToInt32(eventData.Payload[names.IndexOf("Reason")], System.Globalization.CultureInfo.InvariantCulture);
        _counts.AddOrUpdate((depth, reason < Names.Length ? Names[reason] : $"reason {reason}"), 1, (_, n) => n + 1);
    }

    /// <summary>"gen2: 60 large objects, 9 small allocations; ..." for the collections seen so far, and what each heap was given, by type (sampled every 100 KB).</summary>
    public string Describe() =>
        string.Join("; ", _counts.GroupBy(c => c.Key.Generation).OrderByDescending(g => g.Key)
            .Select(g => $"gen{g.Key}: " + string.Join(", ", g.OrderByDescending(c => c.Value).Select(c => $"{c.Value} {c.Key.Reason}"))))
        + "; large object heap sampled: " + Top(_large, 4)
        + "; small objects sampled: " + Top(_small, 8);

    private static string Top(ConcurrentDictionary<string, long> sampled, int count) =>
        sampled.IsEmpty ? "nothing" : string.Join(", ", sampled.OrderByDescending(p => p.Value).Take(count).Select(p => $"{p.Key} {p.Value / 1048576.0:0} MB"));
}
