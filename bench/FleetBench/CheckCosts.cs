using System.Diagnostics;
using System.Globalization;
using System.Net;
using MailHealth.Checks;
using MailHealth.Composition;
using MailHealth.Egress;
using MailHealth.Fleet;
using MailHealth.Targets;
using MailHealth.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;

namespace MailHealth.Bench;

/// <summary>
/// Where a fleet run's time goes: the same fleet.test targets checked in this process, first with
/// every check, then with each check alone (the others unregistered), each after a warm-up, so the
/// figures are CPU milliseconds per target of that check and what it asks of the peers. A check
/// that needs the mail hosts (smtp, dane, ptr, dnsbl) resolves them itself; that is in its figure.
/// </summary>
internal static class CheckCosts
{
    public static async Task RunAsync(int size, int concurrency, string? onlyKind)
    {
        Console.WriteLine($"cost of each check, in process: {size} targets of fleet.test, concurrency {concurrency}, --ports 25");
        var set = TargetSet.FleetTest(size);
        await MeasureAsync(only: null, set.Take(100), concurrency);
        if (onlyKind is null)
        {
            Print("all checks", await MeasureAsync(only: null, set, concurrency));
        }

        using var registered = Compose(only: null, set.Dns);
        var kinds = registered.GetServices<ICheck>().Select(c => c.Kind).ToList();
        for (var i = 0; i < kinds.Count; i++)
        {
            if (onlyKind is not null && kinds[i] != onlyKind)
            {
                continue;
            }

            var one = await MeasureAsync(i, set, concurrency);
            Print(one.Kinds, one);
        }
    }

    /// <summary>The wall seconds of <paramref name="kind"/> alone (null: every check) over <paramref name="size"/> targets, after a warm-up, and its GC figures.</summary>
    /// <param name="shareProbes">False: every target makes its own SMTP probes, as if each had its own MX host.</param>
    public static async Task<(double Wall, string Gc)> WallAsync(string? kind, int size, int concurrency, bool shareProbes = true)
    {
        var set = TargetSet.FleetTest(size);
        int? index = IndexOf(kind);
        await MeasureAsync(index, set.Take(100), concurrency, shareProbes);
        var measured = await MeasureAsync(index, set, concurrency, shareProbes);
        return (measured.Wall, measured.Gc);
    }

    /// <summary>
    /// One run of <paramref name="kind"/> alone (null: every check) over <paramref name="set"/>, in a
    /// newly composed checker (nothing kept from an earlier run), without a warm-up: a cold run
    /// stays cold. <paramref name="adjust"/> may decorate the services (the profile's timers).
    /// </summary>
    public static Task<Measurement> OnceAsync(string? kind, TargetSet set, int concurrency, Action<IServiceCollection>? adjust = null) =>
        MeasureAsync(IndexOf(kind), set, concurrency, shareProbes: true, adjust);

    private static int? IndexOf(string? kind)
    {
        using var registered = Compose(only: null, RecursivePeer.Endpoint);
        return kind is null ? null : registered.GetServices<ICheck>().Select(c => c.Kind).ToList().IndexOf(kind);
    }

    private static void Print(string name, Measurement m) =>
        Console.WriteLine($"  {name,-12} wall {m.Wall,6:0.00} s  CPU {m.CpuSeconds,6:0.00} s  {m.CpuSeconds * 1000 / m.Reports.Count,6:0.00} CPU ms/target  {m.Reports.Count} reports; {m.Gc}");

    private static async Task<Measurement> MeasureAsync(int? only, TargetSet set, int concurrency, bool shareProbes = true, Action<IServiceCollection>? adjust = null)
    {
        await using var services = Compose(only, set.Dns, shareProbes, adjust);
        var fleet = services.GetRequiredService<FleetRunner>();
        var kinds = string.Join(",", services.GetServices<ICheck>().Select(c => c.Kind));
        var targets = set.Targets();
        using var process = Process.GetCurrentProcess();
        var cpu = process.TotalProcessorTime;
        var pause = GC.GetTotalPauseDuration();
        var gcs = (GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2));
        var allocated = GC.GetTotalAllocatedBytes();
        var clock = Stopwatch.StartNew();
        // What the note needs of each report, not the report: holding a thousand reports' evidence
        // would give the collector a heap the CLI never has.
        var reports = new List<RunSummary>();
        await foreach (var report in fleet.RunAsync(targets, new EgressSignalWindow(TimeProvider.System, TimeSpan.FromDays(1)), maxConcurrentTargets: concurrency))
        {
            reports.Add(new RunSummary((report.FinishedAt - report.StartedAt).TotalMilliseconds, [.. report.Checks.Select(c => (c.Kind, c.Status))]));
        }

        process.Refresh();
        var gc = string.Create(CultureInfo.InvariantCulture, $"GC pause {(GC.GetTotalPauseDuration() - pause).TotalMilliseconds:0} ms, gen0 {GC.CollectionCount(0) - gcs.Item1}, gen1 {GC.CollectionCount(1) - gcs.Item2}, gen2 {GC.CollectionCount(2) - gcs.Item3}, allocated {(GC.GetTotalAllocatedBytes() - allocated) / 1048576.0:0} MB");
        return new Measurement(kinds, clock.Elapsed.TotalSeconds, (process.TotalProcessorTime - cpu).TotalSeconds, reports, gc, GC.GetTotalPauseDuration() - pause);
    }

    /// <summary>The checker as <c>mailhealth check</c> composes it; with <paramref name="only"/>, just that check (by registration order).</summary>
    private static ServiceProvider Compose(int? only, IPEndPoint dns, bool shareProbes = true, Action<IServiceCollection>? adjust = null)
    {
        var settings = new Dictionary<string, string?>(Peers.LoopbackNetworkSettings())
        {
            ["MailHealth:Dns:Servers:0"] = dns.ToString(),
            ["MailHealth:Checks:TrustRootsFile"] = Peers.CaFile,
        };
        if (!shareProbes)
        {
            // Absent otherwise: a key with a null value binds as zero, not as the default.
            settings["MailHealth:Checks:ShareProbesFor"] = "00:00:00";
        }

        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        var services = new ServiceCollection().AddMailHealthChecks(configuration);
        if (only is int kept)
        {
            var checks = services.Where(d => d.ServiceType == typeof(ICheck)).ToList();
            foreach (var check in checks.Where((_, i) => i != kept))
            {
                services.Remove(check);
            }
        }

        adjust?.Invoke(services);
        return services.BuildServiceProvider();
    }

    /// <summary>One measured run: the checks registered, wall and CPU seconds, each report's summary, the GC figures and pause.</summary>
    public sealed record Measurement(string Kinds, double Wall, double CpuSeconds, IReadOnlyList<RunSummary> Reports, string Gc, TimeSpan GcPause);

    /// <summary>A report's duration and the status of each of its checks.</summary>
    public sealed record RunSummary(double Milliseconds, IReadOnlyList<(string Kind, CheckStatus Status)> Checks);
}
