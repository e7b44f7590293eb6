using System.Globalization;
using MailHealth.Checks;
using MailHealth.Smtp;

namespace MailHealth.Bench;

/// <summary>
/// Issue 17's side-by-side on the internet-like fleet (eng/peers/fleet.sh): MailHealth and
/// blackbox_exporter in the same run, at the same concurrency, on the same hosts, each a cold
/// first cycle (the resolver's cache emptied) and a warm second one. Like for like (the CLI with
/// <c>checks: [smtp]</c> against blackbox_exporter's STARTTLS probe) with the fleet's latency and
/// without; the full suite with latency; the DNS questions the monitor asks its resolver; and
/// where a domain's run spends its time (<see cref="RunTimeline"/>).
/// </summary>
internal static class InternetBench
{
    public static async Task<int> RunAsync(string cli, int size, int concurrency, string? only)
    {
        if (!InternetFleet.IsRunning)
        {
            Console.Error.WriteLine("start the fleet first: MH_NET=... eng/peers/fleet.sh start (after eng/peers/peers.sh start)");
            return 2;
        }

        var exporter = Blackbox.Find();
        var domains = InternetFleet.Domains(size);
        var set = new TargetSet([.. domains.Select(d => d.Domain)], InternetFleet.Resolver);
        var hosts = domains.Select(d => $"{d.MxAddress}:25").ToList();
        Console.WriteLine($"internet-like fleet: {set.Count} domains ({domains.Count(d => d.Provider)} on providers' shared MX hosts), concurrency {concurrency}, {Environment.ProcessorCount} cores, load average {File.ReadAllText("/proc/loadavg").Split(' ')[0]} at the start");
        var summary = new List<string>();
        try
        {
            if (only is null or "like")
            {
                foreach (var latency in new[] { 20, 0 })
                {
                    await InternetFleet.SetDelayAsync(latency);
                    await InternetFleet.FlushResolverAsync();
                    Console.WriteLine();
                    Console.WriteLine($"like for like: `mailhealth check --targets` with checks: [smtp] on port 25 against blackbox_exporter's STARTTLS probe of the same hosts, latency {latency} ms each way");
                    foreach (var cycle in new[] { "cold", "warm" })
                    {
                        var ours = await CountedAsync(() => MailHealthRun.RunAsync(cli, set.Domains, concurrency, InternetFleet.Resolver.Address.ToString(), [SmtpCheck.KindName]));
                        var theirs = await Blackbox.RunAsync(exporter, hosts, InternetFleet.ServerName, concurrency);
                        var ratio = ours.Result.Wall / theirs.Wall;
                        Console.WriteLine($"  {cycle}: mailhealth {ours.Result.Wall:0.00} s (CPU {ours.Result.CpuSeconds:0.00} s, peak RSS {ours.Result.PeakRssMb:0} MB, {ours.Result.SmtpPassed} smtp checks passed (one per MX host); {ours.Questions / (double)set.Count:0.0} questions/domain to the resolver), blackbox_exporter {theirs.Wall:0.00} s (CPU {theirs.CpuSeconds:0.00} s, {theirs.Succeeded} of {hosts.Count} succeeded): ratio {ratio:0.00}");
                        Console.WriteLine($"    CPU per probe: mailhealth {PerProbeMs(ours.Result.CpuSeconds, ours.Result.SmtpProbes)} ({ours.Result.SmtpProbes} probes made, its start included), blackbox_exporter {PerProbeMs(theirs.CpuSeconds, hosts.Count)} ({hosts.Count} probes, already running)");
                        summary.Add($"like for like, {latency} ms, {cycle}: ratio {ratio:0.00} ({ours.Result.Wall:0.00} s / {theirs.Wall:0.00} s); CPU per probe {PerProbeMs(ours.Result.CpuSeconds, ours.Result.SmtpProbes)} / {PerProbeMs(theirs.CpuSeconds, hosts.Count)}"
                            + (cycle == "warm" ? $"; target <= 1.0 {(ratio <= 1.0 ? "met" : "NOT met")}" : ""));
                        if (cycle == "warm")
                        {
                            var fixedCost = await FixedCostAsync(cli, set);
                            var marginal = (ours.Result.CpuSeconds - fixedCost.CpuSeconds) / Math.Max(1, ours.Result.SmtpProbes - 1);
                            Console.WriteLine($"    mailhealth's fixed cost (the same command on 1 target, resolver warm, median of {FixedCostRuns}: start, host build, JIT, one probe): CPU {fixedCost.CpuSeconds:0.00} s, wall {fixedCost.Wall:0.00} s; CPU per probe beyond it {marginal * 1000:0.00} ms");
                            summary.Add($"like for like, {latency} ms: mailhealth's fixed cost CPU {fixedCost.CpuSeconds:0.00} s (wall {fixedCost.Wall:0.00} s), CPU per probe beyond it {marginal * 1000:0.00} ms");
                            summary.Add(await RunningProcessAsync(exporter, set, hosts, concurrency, $"like for like, {latency} ms", SmtpCheck.KindName));
                        }
                    }
                }

                await InternetFleet.SetDelayAsync(20);
            }

            if (only is "running")
            {
                // For a profiler attached to this process: the like-for-like checks in a running
                // process, without latency, after a run that warms it, five times.
                await InternetFleet.SetDelayAsync(0);
                await CheckCosts.OnceAsync(SmtpCheck.KindName, set, concurrency);
                Console.WriteLine($"warm (pid {Environment.ProcessId}); five measured runs follow in 10 s");
                await Task.Delay(TimeSpan.FromSeconds(10));
                for (var i = 0; i < 5; i++)
                {
                    var run = await CheckCosts.OnceAsync(SmtpCheck.KindName, set, concurrency);
                    Console.WriteLine($"  in a running process, no latency: {run.Wall:0.00} s, CPU {run.CpuSeconds:0.00} s; {run.Gc}");
                }
            }

            if (only is null or "full")
            {
                await InternetFleet.FlushResolverAsync();
                Console.WriteLine();
                Console.WriteLine($"full suite (`mailhealth check --targets`, every check, port 25) against blackbox_exporter's bare STARTTLS probes of the same hosts, latency 20 ms each way");
                foreach (var cycle in new[] { "cold", "warm" })
                {
                    var ours = await CountedAsync(() => MailHealthRun.RunAsync(cli, set.Domains, concurrency, InternetFleet.Resolver.Address.ToString()));
                    var theirs = await Blackbox.RunAsync(exporter, hosts, InternetFleet.ServerName, concurrency);
                    var ratio = ours.Result.Wall / theirs.Wall;
                    var perDomain = ours.Questions / (double)set.Count;
                    Console.WriteLine($"  {cycle}: mailhealth {ours.Result.Wall:0.00} s (CPU {ours.Result.CpuSeconds:0.00} s, peak RSS {ours.Result.PeakRssMb:0} MB, {ours.Result.SmtpPassed} smtp passed), blackbox_exporter {theirs.Wall:0.00} s ({theirs.Succeeded} succeeded): ratio {ratio:0.00}; the machine busy {ours.MachineBusy / ours.Result.Wall:0.00} of {Environment.ProcessorCount} cores during mailhealth's run");
                    Console.WriteLine($"    DNS: {perDomain:0.0} questions per domain to the resolver ({Describe(ours.ByType, set.Count)}); the resolver asked Knot {ours.Upstream / (double)set.Count:0.0} per domain over the delayed link");
                    summary.Add($"full suite, 20 ms, {cycle}: ratio {ratio:0.00} ({ours.Result.Wall:0.00} s / {theirs.Wall:0.00} s)" + (cycle == "warm" ? $"; target <= 1.0 {(ratio <= 1.0 ? "met" : "NOT met")}" : ""));
                    if (cycle == "warm")
                    {
                        summary.Add(await RunningProcessAsync(exporter, set, hosts, concurrency, "full suite, 20 ms", kind: null));
                    }

                    summary.Add($"DNS questions per domain per cycle, {cycle}: {perDomain:0.0}" + (cycle == "warm"
                        ? $" (a one-off check: a new process, its answer cache empty, its DKIM selectors swept inline; the monitor's steady state, answers kept for their TTL and selectors remembered, is FleetBench --serve's)"
                        : ""));
                }
            }

            if (only is null or "profile")
            {
                Console.WriteLine();
                Console.WriteLine("where the time goes: the full suite in process, latency 20 ms each way, spans of every check and shared stage, and what the process waited on");
                await InternetFleet.FlushResolverAsync();
                await ProfileAsync("one domain at a time, resolver cold", set.Take(20), 1);
                await ProfileAsync($"{concurrency} at a time, resolver cold", set, concurrency);
                await ProfileAsync($"{concurrency} at a time, resolver warm", set, concurrency);
                await ProfileAsync("one domain at a time, resolver warm", set.Take(20), 1);
            }
        }
        finally
        {
            await InternetFleet.SetDelayAsync(20);
        }

        Console.WriteLine();
        Console.WriteLine("summary (issue 17, item 2):");
        foreach (var line in summary)
        {
            Console.WriteLine("  " + line);
        }

        return 0;
    }

    /// <summary>
    /// The same checks (<paramref name="kind"/> alone, or the full suite) in a process already
    /// running, as <c>serve</c> and the Functions worker run them and as blackbox_exporter runs its
    /// probes: this process, the checker composed as the CLI composes it (anew for each run: no
    /// answer or DKIM selector kept from before, unlike <c>serve</c>), after one run that warms the
    /// process (the JIT, the thread pool); then blackbox_exporter again, so the two are measured at
    /// the same moment. Returns the summary's line.
    /// </summary>
    private static async Task<string> RunningProcessAsync(string exporter, TargetSet set, IReadOnlyList<string> hosts, int concurrency, string comparison, string? kind)
    {
        await CheckCosts.OnceAsync(kind, set, concurrency);
        var ours = await CheckCosts.OnceAsync(kind, set, concurrency);
        var theirs = await Blackbox.RunAsync(exporter, hosts, InternetFleet.ServerName, concurrency);
        var passed = ours.Reports.Sum(r => r.Checks.Count(c => c.Kind == SmtpCheck.KindName && c.Status == CheckStatus.Pass));
        var ratio = ours.Wall / theirs.Wall;
        Console.WriteLine($"    {comparison} in a running process (the checker as the CLI composes it, in this process after a run that warms it): mailhealth {ours.Wall:0.00} s (CPU {ours.CpuSeconds:0.00} s, {PerProbeMs(ours.CpuSeconds, set.Count)} per target, {passed} smtp checks passed; {ours.Gc}), blackbox_exporter right after {theirs.Wall:0.00} s (CPU {PerProbeMs(theirs.CpuSeconds, hosts.Count)} per probe): ratio {ratio:0.00}");
        return $"{comparison}, warm, both processes already running: ratio {ratio:0.00} ({ours.Wall:0.00} s / {theirs.Wall:0.00} s); CPU per target {PerProbeMs(ours.CpuSeconds, set.Count)} / {PerProbeMs(theirs.CpuSeconds, hosts.Count)}; target <= 1.0 {(ratio <= 1.0 ? "met" : "NOT met")}";
    }

    /// <summary>Runs of the CLI on one target whose median stands for its fixed cost.</summary>
    private const int FixedCostRuns = 3;

    /// <summary>
    /// What a new CLI process costs whatever the fleet's size: the like-for-like command on the
    /// fleet's first domain alone (the process's start, the services built, the JIT, one probe),
    /// the median of <see cref="FixedCostRuns"/> runs by CPU.
    /// </summary>
    private static async Task<MailHealthRun.Result> FixedCostAsync(string cli, TargetSet set)
    {
        var runs = new List<MailHealthRun.Result>();
        for (var i = 0; i < FixedCostRuns; i++)
        {
            runs.Add(await MailHealthRun.RunAsync(cli, set.Domains.Take(1).ToList(), 1, InternetFleet.Resolver.Address.ToString(), [SmtpCheck.KindName]));
        }

        return runs.OrderBy(r => r.CpuSeconds).ElementAt(runs.Count / 2);
    }

    private static string PerProbeMs(double cpuSeconds, int probes) =>
        string.Create(CultureInfo.InvariantCulture, $"{cpuSeconds * 1000 / Math.Max(1, probes):0.00} ms");

    private static async Task ProfileAsync(string title, TargetSet set, int concurrency)
    {
        await using var timeline = new RunTimeline();
        using var collections = new GcReasons();
        var busy = ProcStat.MachineBusySeconds();
        var run = await CheckCosts.OnceAsync(null, set, concurrency, timeline.Instrument);
        RunProfile.Print(title, run, timeline, ProcStat.MachineBusySeconds() - busy);
        Console.WriteLine($"    why the collector ran: {collections.Describe()}");
    }

    /// <summary>A run with what it asked of the resolver (in all and by type), what the resolver asked Knot, and the machine's busy CPU seconds meanwhile.</summary>
    private static async Task<Counted<T>> CountedAsync<T>(Func<Task<T>> run)
    {
        var before = await InternetFleet.ResolverCountersAsync();
        var upstream = await InternetFleet.UpstreamQuestionsAsync();
        var busy = ProcStat.MachineBusySeconds();
        var result = await run();
        var machine = ProcStat.MachineBusySeconds() - busy;
        var asked = InternetFleet.Between(before, await InternetFleet.ResolverCountersAsync());
        return new Counted<T>(result, asked.GetValueOrDefault("total.num.queries"), await InternetFleet.UpstreamQuestionsAsync() - upstream, asked, machine);
    }

    private static string Describe(IReadOnlyDictionary<string, long> byType, int domains) =>
        string.Join(", ", byType.Where(p => p.Key.StartsWith("num.query.type.", StringComparison.Ordinal) && p.Value > 0)
            .OrderByDescending(p => p.Value)
            .Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Key["num.query.type.".Length..]} {p.Value / (double)domains:0.0}")));

    private sealed record Counted<T>(T Result, long Questions, long Upstream, IReadOnlyDictionary<string, long> ByType, double MachineBusy);
}
