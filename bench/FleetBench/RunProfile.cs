using System.Globalization;

namespace MailHealth.Bench;

/// <summary>What a <see cref="RunTimeline"/> saw during one measured run, as the lines of the note.</summary>
internal static class RunProfile
{
    public static void Print(string title, CheckCosts.Measurement run, RunTimeline timeline, double machineBusy)
    {
        var runs = run.Reports.Select(r => r.Milliseconds).ToList();
        Console.WriteLine($"  {title}: {run.Reports.Count} domains in {run.Wall:0.00} s; a domain's run p50 {Percentile(runs, 50):0} ms, p90 {Percentile(runs, 90):0} ms");
        foreach (var group in timeline.Spans.GroupBy(s => s.Name).OrderBy(g => g.Key, StringComparer.Ordinal))
        {
            var times = group.Select(s => s.Milliseconds).ToList();
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"    {group.Key,-20} p50 {Percentile(times, 50),6:0} ms  p90 {Percentile(times, 90),6:0} ms  ({times.Count})"));
        }

        var cores = Environment.ProcessorCount;
        Console.WriteLine($"    CPU: this process {run.CpuSeconds:0.00} s over {run.Wall:0.00} s = {run.CpuSeconds / run.Wall:0.00} of {cores} cores; the whole machine busy {machineBusy / run.Wall:0.00} of {cores} cores; every thread stopped for the collector {run.GcPause.TotalSeconds / run.Wall * 100:0.0}% of the wall time ({run.Gc})");
        var samples = timeline.Samples.ToList();
        if (samples.Count == 0)
        {
            return;
        }

        var pending = samples.Select(s => (double)s.PendingWorkItems).ToList();
        var busy = samples.Where(s => s.LiveRuns > 0).ToList();
        Console.WriteLine($"    thread pool: queued work items p50 {Percentile(pending, 50):0}, p90 {Percentile(pending, 90):0}, max {pending.Max():0}; threads p50 {Percentile([.. samples.Select(s => (double)s.Threads)], 50):0}, max {samples.Max(s => s.Threads)}");
        Console.WriteLine($"    network bound (MailHealth:Network:MaxConcurrency {timeline.NetworkCapacity}): in use p50 {Percentile([.. samples.Select(s => (double)s.NetworkInUse)], 50):0}, max {samples.Max(s => s.NetworkInUse)}; full in {samples.Count(s => s.NetworkInUse >= timeline.NetworkCapacity) * 100.0 / samples.Count:0.0}% of samples");
        if (busy.Count > 0)
        {
            Console.WriteLine($"    runs in flight p50 {Percentile([.. busy.Select(s => (double)s.LiveRuns)], 50):0}; runs whose own bound (MailHealth:Checks:MaxConcurrency) was taken in full: {busy.Sum(s => s.RunsAtTheirBound) * 100.0 / Math.Max(1, busy.Sum(s => s.LiveRuns)):0.0}% of run-samples");
        }
    }

    /// <summary>The value below which <paramref name="percent"/>% of <paramref name="values"/> lie (nearest rank).</summary>
    public static double Percentile(IReadOnlyList<double> values, double percent)
    {
        if (values.Count == 0)
        {
            return double.NaN;
        }

        var sorted = values.Order().ToList();
        return sorted[Math.Clamp((int)Math.Ceiling(percent / 100 * sorted.Count) - 1, 0, sorted.Count - 1)];
    }
}
