using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Http;
using System.Net.Sockets;
using System.Text.Json;
using System.Text.RegularExpressions;
using Azure.Data.Tables;
using Azure.Storage.Queues;
using MailHealth.Testing;

namespace MailHealth.Bench;

/// <summary>
/// Issue 17, item 3: the monitor at scale, not the one-off check. <c>mailhealth serve</c> on the
/// peers' Azurite with the internet-like fleet's domains as targets (full suite, port 25), on its
/// schedule, queue worker included, for a number of cycles. Per cycle: when its last run was
/// stored (seconds after the slot began), runs executed and stored, storage transactions per run
/// (every HTTP request to Azurite's table and queue endpoints, counted by a pass-through proxy,
/// by table or queue), the questions the resolver answered (per domain and per second over the
/// interval); over the whole run: serve's peak RSS and CPU, runs lost (a target without a stored
/// run for a slot) and duplicated (runs executed beyond one per target and slot).
/// </summary>
internal static partial class ServeAtScale
{
    /// <summary>The wall clock: serve's schedule runs on it, and the bench measures against it.</summary>
    private static readonly TimeProvider Clock = TimeProvider.System;

    /// <summary>How long before its slot a cycle's measurement window opens (and before the next slot it closes).</summary>
    private static readonly TimeSpan WindowLead = TimeSpan.FromSeconds(5);

    /// <summary>How often serve's /metrics is read: a common Prometheus scrape interval, so a cycle's end is known within it.</summary>
    private static readonly TimeSpan ScrapeInterval = TimeSpan.FromSeconds(15);

    public static async Task<int> RunAsync(string cli, int size, int cycles, int intervalMinutes)
    {
        if (!InternetFleet.IsRunning)
        {
            Console.Error.WriteLine("start the fleet first: MH_NET=... eng/peers/fleet.sh start (after eng/peers/peers.sh start)");
            return 2;
        }

        var interval = TimeSpan.FromMinutes(intervalMinutes);
        var domains = InternetFleet.Domains(size);
        var prefix = "scale" + Guid.NewGuid().ToString("N")[..8];
        var azurite = Peers.AzuriteAddress;
        await using var tables = new StorageRequestCounter(new IPEndPoint(azurite, 10002));
        await using var queues = new StorageRequestCounter(new IPEndPoint(azurite, 10001));
        var connection = Peers.AzuriteConnectionString
            .Replace($"QueueEndpoint=http://{azurite}:10001/", $"QueueEndpoint=http://{queues.Endpoint}/", StringComparison.Ordinal)
            .Replace($"TableEndpoint=http://{azurite}:10002/", $"TableEndpoint=http://{tables.Endpoint}/", StringComparison.Ordinal);

        var config = Path.Combine(Path.GetTempPath(), $"{prefix}.json");
        var targets = domains.Select((d, i) => new { id = $"d{i + 1}", domain = d.Domain, ports = new[] { 25 }, dnsbl = new[] { "bl.rep.test" } });
        await File.WriteAllTextAsync(config, JsonSerializer.Serialize(new { targets }));
        var port = FreePort();
        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { cli, "serve", "--config", config, "--urls", $"http://127.0.0.1:{port}" })
        {
            start.ArgumentList.Add(arg);
        }

        var environment = new Dictionary<string, string>
        {
            ["MailHealth__Storage__ConnectionString"] = connection,
            ["MailHealth__Storage__TablePrefix"] = prefix,
            ["MailHealth__Storage__ProbeQueueName"] = prefix + "-probes",
            ["MailHealth__Storage__NotificationQueueName"] = prefix + "-notifications",
            ["MailHealth__Dns__Servers__0"] = InternetFleet.Resolver.ToString(),
            ["MailHealth__Checks__TrustRootsFile"] = Peers.CaFile,
            ["MailHealth__Monitor__Interval"] = interval.ToString("c", CultureInfo.InvariantCulture),
            ["MAILHEALTH_SCHEDULE"] = $"0 */{intervalMinutes} * * * *",
            // The API needs an admin key to start; the bench reads /metrics only.
            ["MailHealth__Api__AdminKeys__0"] = Convert.ToHexString(System.Security.Cryptography.RandomNumberGenerator.GetBytes(16)),
            // Logs at Warning: ten thousand runs a cycle would otherwise be ten thousand lines.
            ["Logging__LogLevel__Default"] = "Warning",
            // glibc's malloc arenas as eng/run.sh and docs/operations.md (Memory) run serve, unless the caller says otherwise.
            ["MALLOC_ARENA_MAX"] = Environment.GetEnvironmentVariable("MALLOC_ARENA_MAX") ?? "2",
        };
        foreach (var (network, i) in Peers.LoopbackNetworks.Select((n, i) => (n, i)))
        {
            environment[$"MailHealth__Checks__AllowedNetworks__{i}"] = network;
        }

        foreach (var (key, value) in environment)
        {
            start.Environment[key] = value;
        }

        Console.WriteLine($"serve at scale: {size} targets of the internet-like fleet ({domains.Count(d => d.Provider)} on providers' MX hosts), full suite, port 25, every {intervalMinutes} min, {cycles} cycles; {Environment.ProcessorCount} cores, load average {LoadAverage()} at the start");
        using var serve = Process.Start(start)!;
        var errors = new List<string>();
        serve.ErrorDataReceived += (_, e) => { if (e.Data is { } line) { lock (errors) { errors.Add(line); } } };
        serve.OutputDataReceived += (_, e) => { if (e.Data is { } line && line.Contains("fail", StringComparison.OrdinalIgnoreCase)) { lock (errors) { errors.Add(line); } } };
        serve.BeginErrorReadLine();
        serve.BeginOutputReadLine();
        using var http = new HttpClient { BaseAddress = new Uri($"http://127.0.0.1:{port}"), Timeout = TimeSpan.FromSeconds(30) };
        var peakRss = 0L;
        try
        {
            await WaitForMetricsAsync(http, serve, errors);
            var cpuAtStart = ProcStat.CpuSeconds(serve.Id);
            var firstSlot = NextBoundary(Clock.GetUtcNow() + WindowLead, interval);
            Console.WriteLine($"serve is up (targets written); the first slot begins at {firstSlot:HH:mm:ss} UTC");
            var probes = new QueueClient(Peers.AzuriteConnectionString, prefix + "-probes");
            var rows = new List<string>();
            var executedBefore = 0L;
            for (var cycle = 0; cycle < cycles; cycle++)
            {
                var slot = firstSlot + (interval * cycle);
                var next = slot + interval;
                // The window starts a little before the slot and ends as little before the next: the
                // slot's fan-out, on the boundary, falls inside its own cycle's counts, never at an edge.
                await DelayUntilAsync(slot - WindowLead, () => peakRss = Math.Max(peakRss, PeakRssKb(serve.Id)));
                var dns = await InternetFleet.ResolverCountersAsync();
                var storage = (Tables: tables.Snapshot(), Queues: queues.Snapshot());
                var busy = ProcStat.MachineBusySeconds();
                var serveCpu = ProcStat.CpuSeconds(serve.Id);
                TimeSpan? completed = null;
                long executed = 0;
                var lastProgress = Clock.GetUtcNow();
                // The cycle's runs are done when serve has stored one run per target since the slot
                // began; the measurement window is the whole interval (the resolver's load is per second of it).
                while (Clock.GetUtcNow() < next - WindowLead)
                {
                    // Read as Prometheus would, every 15 s: a scrape renders every target's series
                    // and reads the fleet's state, which a scrape each second would make the load.
                    executed = await RunsStoredAsync(http) - executedBefore;
                    peakRss = Math.Max(peakRss, PeakRssKb(serve.Id));
                    if (completed is null && executed >= size)
                    {
                        completed = Clock.GetUtcNow() - slot;
                        Console.WriteLine($"  cycle {cycle + 1}: {size} runs stored {completed.Value.TotalSeconds:0} s after the slot began (read every {ScrapeInterval.TotalSeconds:0} s)");
                    }

                    if (completed is null && Clock.GetUtcNow() - lastProgress >= TimeSpan.FromSeconds(30))
                    {
                        lastProgress = Clock.GetUtcNow();
                        var waiting = (await probes.GetPropertiesAsync()).Value.ApproximateMessagesCount;
                        Console.WriteLine($"    {(lastProgress - slot).TotalSeconds:0} s: {executed} runs stored, about {waiting} probe messages queued, load average {LoadAverage()}");
                    }

                    // The window closes before the next slot, not a scrape after it: the next slot's
                    // fan-out starts on the boundary, and its sends belong to the next cycle's count.
                    var untilNext = next - WindowLead - Clock.GetUtcNow();
                    if (untilNext > TimeSpan.Zero)
                    {
                        await Task.Delay(untilNext < ScrapeInterval ? untilNext : ScrapeInterval);
                    }
                }

                // The runs stored up to the boundary, so the runs and the requests count the same window.
                executed = await RunsStoredAsync(http) - executedBefore;
                executedBefore += executed;
                var asked = InternetFleet.Between(dns, await InternetFleet.ResolverCountersAsync()).GetValueOrDefault("total.num.queries");
                var tableRequests = StorageRequestCounter.Between(storage.Tables, tables.Snapshot());
                var queueRequests = StorageRequestCounter.Between(storage.Queues, queues.Snapshot());
                var requests = tableRequests.Values.Sum() + queueRequests.Values.Sum();
                var perRun = executed == 0 ? double.NaN : requests / (double)executed;
                var row = string.Create(CultureInfo.InvariantCulture,
                    $"cycle {cycle + 1}: last run stored {(completed is { } c ? $"{c.TotalSeconds:0} s (+0/-{ScrapeInterval.TotalSeconds:0} s)" : "NOT within the interval")} after the slot (target <= {interval.TotalSeconds / 2:0} s); "
                    + $"{executed} runs executed; {perRun:0.0} storage transactions per run ({Top(tableRequests, queueRequests, executed, prefix)}); "
                    + $"resolver {asked / (double)Math.Max(1, executed):0.0} questions per run, {asked / interval.TotalSeconds:0} per second over the interval (target <= 350 for 10,000 domains); "
                    + $"serve CPU {ProcStat.CpuSeconds(serve.Id) - serveCpu:0} s, machine busy {(ProcStat.MachineBusySeconds() - busy) / interval.TotalSeconds:0.00} of {Environment.ProcessorCount} cores");
                Console.WriteLine("  " + row);
                rows.Add(row);
            }

            var (stored, lost) = await CountStoredAsync(prefix, size, firstSlot, interval, cycles);
            Console.WriteLine();
            Console.WriteLine("summary (issue 17, item 3):");
            foreach (var row in rows)
            {
                Console.WriteLine("  " + row);
            }

            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  runs stored {stored} for {cycles} slots x {size} targets: {lost} lost (target 0), {Math.Max(0, executedBefore - stored)} executed more than once (target 0)"));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"  serve peak RSS {peakRss / 1024.0:0} MB (target < 300), CPU {ProcStat.CpuSeconds(serve.Id) - cpuAtStart:0} s over the cycles"));
            lock (errors)
            {
                if (errors.Count > 0)
                {
                    // Each line's start: a warning's first line says what failed, its stack trace follows on the same line.
                    Console.WriteLine($"  serve wrote {errors.Count} error line(s):");
                    foreach (var line in errors.Take(20))
                    {
                        Console.WriteLine("    " + (line.Length > 400 ? line[..400] + " ..." : line));
                    }
                }
            }
        }
        finally
        {
            if (!serve.HasExited)
            {
                // Ctrl+C: serve stops its worker and leaves what it holds on the queue.
                using (var interrupt = Process.Start("kill", ["-INT", serve.Id.ToString(CultureInfo.InvariantCulture)]))
                {
                    await interrupt.WaitForExitAsync();
                }

                if (!serve.WaitForExit(TimeSpan.FromSeconds(60)))
                {
                    serve.Kill(entireProcessTree: true);
                }
            }

            File.Delete(config);
            await DeleteStorageAsync(prefix);
        }

        return 0;
    }

    /// <summary>The eight commonest requests per run, named without the bench's storage prefix.</summary>
    private static string Top(IReadOnlyDictionary<string, long> tables, IReadOnlyDictionary<string, long> queues, long runs, string prefix) =>
        string.Join(", ", tables.Concat(queues).Where(p => p.Value > 0).OrderByDescending(p => p.Value).Take(8)
            .Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Key.Replace(" " + prefix, " ", StringComparison.Ordinal)} {p.Value / (double)Math.Max(1, runs):0.00}")));

    /// <summary>Stored runs of the measured slots, and how many target-slots have none.</summary>
    private static async Task<(long Stored, long Lost)> CountStoredAsync(string prefix, int size, DateTimeOffset firstSlot, TimeSpan interval, int cycles)
    {
        var runs = new TableClient(Peers.AzuriteConnectionString, prefix + "runs");
        var bySlot = Enumerable.Range(0, cycles).ToDictionary(k => firstSlot + (interval * k), _ => new HashSet<string>(StringComparer.Ordinal));
        // A run's own row (its report's overflow rows have no slot of their own).
        await foreach (var entity in runs.QueryAsync<TableEntity>(filter: "RowKey ge 'r' and RowKey lt 's'", select: ["PartitionKey", "Slot"]))
        {
            if (entity.GetDateTimeOffset("Slot") is { } slot && bySlot.TryGetValue(slot, out var targets))
            {
                targets.Add(entity.PartitionKey);
            }
        }

        var stored = bySlot.Values.Sum(t => (long)t.Count);
        return (stored, ((long)size * cycles) - stored);
    }

    private static async Task DeleteStorageAsync(string prefix)
    {
        var service = new TableServiceClient(Peers.AzuriteConnectionString);
        await foreach (var table in service.QueryAsync(t => t.Name.CompareTo(prefix) >= 0 && t.Name.CompareTo(prefix + "{") < 0))
        {
            await service.DeleteTableAsync(table.Name);
        }

        var queues = new QueueServiceClient(Peers.AzuriteConnectionString);
        await foreach (var queue in queues.GetQueuesAsync(prefix: prefix))
        {
            await queues.DeleteQueueAsync(queue.Name);
        }
    }

    private static async Task WaitForMetricsAsync(HttpClient http, Process serve, List<string> errors)
    {
        for (var attempt = 0; attempt < 600; attempt++)
        {
            if (serve.HasExited)
            {
                serve.WaitForExit();
                lock (errors)
                {
                    throw new InvalidOperationException($"serve exited with {serve.ExitCode} before it answered: {string.Join('\n', errors)}");
                }
            }

            try
            {
                await RunsStoredAsync(http);
                return;
            }
            catch (HttpRequestException)
            {
                await Task.Delay(TimeSpan.FromSeconds(1));
            }
        }

        throw new TimeoutException("serve did not answer /metrics within 10 minutes");
    }

    /// <summary>Runs serve has stored since it started: the sum of <c>mailhealth_runs_total</c> over statuses.</summary>
    private static async Task<long> RunsStoredAsync(HttpClient http)
    {
        var text = await http.GetStringAsync("/metrics");
        return RunsTotal().Matches(text).Sum(m => (long)double.Parse(m.Groups[1].Value, CultureInfo.InvariantCulture));
    }

    [GeneratedRegex(@"^mailhealth_runs_total\{[^}]*\} (\S+)$", RegexOptions.Multiline)]
    private static partial Regex RunsTotal();

    private static DateTimeOffset NextBoundary(DateTimeOffset now, TimeSpan interval)
    {
        var ticks = ((now.UtcTicks / interval.Ticks) + 1) * interval.Ticks;
        return new DateTimeOffset(ticks, TimeSpan.Zero);
    }

    private static async Task DelayUntilAsync(DateTimeOffset when, Action meanwhile)
    {
        while (Clock.GetUtcNow() < when)
        {
            meanwhile();
            var left = when - Clock.GetUtcNow();
            await Task.Delay(left < TimeSpan.FromSeconds(1) ? left.Duration() : TimeSpan.FromSeconds(1));
        }
    }

    private static long PeakRssKb(int pid)
    {
        try
        {
            var line = File.ReadLines($"/proc/{pid}/status").FirstOrDefault(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
            return line is null ? 0 : long.Parse(line["VmHWM:".Length..].Trim().Split(' ')[0], CultureInfo.InvariantCulture);
        }
        catch (IOException)
        {
            return 0;
        }
    }

    private static string LoadAverage() => File.ReadAllText("/proc/loadavg").Split(' ')[0];

    private static int FreePort()
    {
        using var probe = new TcpListener(IPAddress.Loopback, 0);
        probe.Start();
        return ((IPEndPoint)probe.LocalEndpoint).Port;
    }
}
