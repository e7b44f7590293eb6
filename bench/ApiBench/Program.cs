using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using MailHealth.Bench;
using MailHealth.Reports;
using MailHealth.Runs;
using MailHealth.Storage.Configuration;
using MailHealth.Storage.Latest;
using MailHealth.Storage.Runs;
using MailHealth.Storage.Targets;
using MailHealth.Testing;

// The HTTP API under load. Seeds Azurite (the peers') with a fleet of FLEET targets, each with
// its latest status, the first HISTORY of them with RUNS five-minute runs (the real demo report),
// starts `mailhealth serve` on that storage (built first: dotnet build src/MailHealth.Cli -c
// Release, or the mailhealth.dll given with --cli), then measures two loads one after the other:
// - readers: CLIENTS concurrent API clients read the status and history pages of 50 of random
//   targets among the first HISTORY for SECONDS, without validators (plain scripts);
// - dashboards: DASHBOARDS dashboards refresh the fleet view back to back for SECONDS, each request
//   app.js makes per refresh, through a browser cache of their own (If-None-Match, 304s); first
//   one cold refresh each (empty caches on both sides).
// For each: requests/s, p50/p95/p99, errors, the 304 share, serve's CPU; serve's peak RSS at the end.
// Needs the peers: MH_NET=... eng/peers/peers.sh start.
// Run: dotnet run -c Release --project bench/ApiBench [-- --fleet 1000 --history 100 --runs 100
//      --clients 50 --dashboards 10 --seconds 30 --cli PATH/mailhealth.dll]
var fleet = Option("--fleet", 1000);
var historyTargets = Math.Min(fleet, Option("--history", 100));
var runsPerTarget = Option("--runs", 100);
var clients = Option("--clients", 50);
var dashboards = Option("--dashboards", 10);
var seconds = Option("--seconds", 30);
var cli = OptionText("--cli") ?? Path.Combine(Peers.RepoRoot, "src", "MailHealth.Cli", "bin", "Release", "net10.0", "mailhealth.dll");
const string Key = "bench-read-key-0123456789";
var unique = Guid.NewGuid().ToString("N")[..10];
var options = new StorageOptions
{
    ConnectionString = Peers.AzuriteConnectionString,
    TablePrefix = "apibench" + unique,
    ProbeQueueName = "apibench-p-" + unique,
    NotificationQueueName = "apibench-n-" + unique,
    ReportQueueName = "apibench-r-" + unique,
    ReportContainerName = "apibench-r-" + unique,
};
var account = new StorageAccount(options);
await new StorageInitializer(account).InitializeAsync();
Process? serve = null;
try
{
    await SeedAsync();
    var port = FreePort();
    var url = $"http://127.0.0.1:{port}";
    Console.WriteLine($"serving {cli}; load average {LoadAverage()}");
    serve = StartServe(url);
    using var http = new HttpClient { BaseAddress = new Uri(url), Timeout = TimeSpan.FromSeconds(30) };
    http.DefaultRequestHeaders.Add("x-functions-key", Key);
    await WaitUntilUpAsync(http);
    await ReadersAsync(http);
    await DashboardsAsync(http);
    serve.Refresh();
    Console.WriteLine($"serve's peak RSS {serve.PeakWorkingSet64 / 1048576} MB; load average {LoadAverage()}");
}
finally
{
    if (serve is { HasExited: false })
    {
        serve.Kill(entireProcessTree: true);
        await serve.WaitForExitAsync();
    }

    await PeerStorage.DeleteAsync(account);
}

async Task SeedAsync()
{
    var sample = JsonSerializer.Deserialize<Report>(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "sample-report.json")), ReportJson.Options)!;
    var targets = new TargetStore(account);
    var runs = new RunStore(account);
    var latest = new LatestStatusStore(account);
    var start = new DateTimeOffset(2026, 11, 1, 0, 0, 0, TimeSpan.Zero);
    var began = Stopwatch.GetTimestamp();
    await Parallel.ForEachAsync(Enumerable.Range(0, fleet), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (t, ct) =>
    {
        // Disabled: serve's schedule leaves them alone, the API still serves them.
        var target = sample.Target with { Id = $"t{t:D4}", Enabled = false };
        await targets.UpsertAsync(target, ct);
        var count = t < historyTargets ? runsPerTarget : 1;
        for (var i = 0; i < count; i++)
        {
            var runId = new RunId(target.Id, start.AddMinutes(5 * i));
            var report = sample with { Target = target, StartedAt = runId.Slot.AddSeconds(1), FinishedAt = runId.Slot.AddSeconds(9) };
            await runs.WriteAsync(runId, report, ct);
            if (i == count - 1)
            {
                await latest.UpdateAsync(runId, report, ct);
            }
        }
    });
    Console.WriteLine($"seeded {fleet} targets, {historyTargets} of them with {runsPerTarget} runs ({sample.Checks.Count}-check report), in {Stopwatch.GetElapsedTime(began).TotalSeconds:F0} s");
}

Process StartServe(string url)
{
    var config = Path.Combine(Path.GetTempPath(), $"apibench-{unique}.json");
    File.WriteAllText(config, JsonSerializer.Serialize(new Dictionary<string, object>
    {
        ["MailHealth"] = new Dictionary<string, object>
        {
            ["Storage"] = new { options.ConnectionString, options.TablePrefix, options.ProbeQueueName, options.NotificationQueueName, options.ReportQueueName, options.ReportContainerName },
            ["Api"] = new { ReadKeys = new[] { Key }, AdminKeys = new[] { "bench-admin-key-0123456789" } },
        },
        ["targets"] = Array.Empty<object>(),
    }));
    var info = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
    foreach (var arg in new[] { cli, "serve", "--config", config, "--urls", url })
    {
        info.ArgumentList.Add(arg);
    }

    info.Environment["Logging__LogLevel__Default"] = "Warning";
    var process = Process.Start(info)!;
    process.OutputDataReceived += (_, _) => { };
    process.ErrorDataReceived += (_, e) => { if (e.Data is not null) Console.Error.WriteLine("serve: " + e.Data); };
    process.BeginOutputReadLine();
    process.BeginErrorReadLine();
    return process;
}

async Task WaitUntilUpAsync(HttpClient http)
{
    for (var i = 0; i < 300; i++)
    {
        if (serve!.HasExited)
        {
            throw new InvalidOperationException($"serve exited with {serve.ExitCode} before it answered (is {cli} built?)");
        }

        try
        {
            if ((await http.GetAsync("/api/health")).IsSuccessStatusCode)
            {
                return;
            }
        }
        catch (HttpRequestException)
        {
        }

        await Task.Delay(100);
    }

    throw new InvalidOperationException("serve did not answer /api/health within 30 s");
}

async Task ReadersAsync(HttpClient http)
{
    // Warm-up: JIT and connection pools, not measured.
    for (var i = 0; i < 50; i++)
    {
        await http.GetAsync($"/api/targets/t{i % historyTargets:D4}/status");
    }

    var latencies = new List<double>[clients];
    var errors = 0;
    var status = 0;
    var history = 0;
    var cpuBefore = serve!.TotalProcessorTime;
    var stop = Stopwatch.GetTimestamp() + (long)(seconds * Stopwatch.Frequency);
    var began = Stopwatch.GetTimestamp();
    await Task.WhenAll(Enumerable.Range(0, clients).Select(async c =>
    {
        var random = new Random(c);
        var mine = latencies[c] = [];
        while (Stopwatch.GetTimestamp() < stop)
        {
            var target = $"t{random.Next(historyTargets):D4}";
            var isHistory = random.Next(2) == 0;
            var path = isHistory ? $"/api/targets/{target}/history?limit=50" : $"/api/targets/{target}/status";
            var sent = Stopwatch.GetTimestamp();
            try
            {
                using var response = await http.GetAsync(path);
                await response.Content.ReadAsByteArrayAsync();
                if (response.StatusCode != HttpStatusCode.OK)
                {
                    Interlocked.Increment(ref errors);
                    continue;
                }
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException)
            {
                Interlocked.Increment(ref errors);
                continue;
            }

            mine.Add(Stopwatch.GetElapsedTime(sent).TotalMilliseconds);
            Interlocked.Increment(ref isHistory ? ref history : ref status);
        }
    }));
    var elapsed = Stopwatch.GetElapsedTime(began).TotalSeconds;
    var all = latencies.SelectMany(l => l).ToList();
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"readers: {clients} clients, {elapsed:F1} s: {all.Count} requests ({status} status, {history} history pages of 50), {all.Count / elapsed:F0} req/s, "
        + $"{Latencies.Summary(all)}, errors {errors}; serve CPU {ServeCpu(cpuBefore):F1} s"));
}

async Task DashboardsAsync(HttpClient http)
{
    var refreshes = Enumerable.Range(0, dashboards).Select(_ => new DashboardRefresh(new BrowserCache(http))).ToList();
    var cpuBefore = serve!.TotalProcessorTime;
    var errors = 0;
    var cold = (await Task.WhenAll(refreshes.Select(r => TryRefreshAsync(r)))).OfType<double>().ToList();
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"dashboards, first refresh (cold), {dashboards} at once: {Latencies.Summary(cold)}; {refreshes[0].Requests.Count} requests each, errors {errors}; serve CPU {ServeCpu(cpuBefore):F1} s"));
    foreach (var refresh in refreshes)
    {
        refresh.Requests.Clear();
        refresh.ByRoute.Clear();
    }

    var times = new List<double>[dashboards];
    errors = 0;
    cpuBefore = serve.TotalProcessorTime;
    var stop = Stopwatch.GetTimestamp() + (long)(seconds * Stopwatch.Frequency);
    var began = Stopwatch.GetTimestamp();
    await Task.WhenAll(refreshes.Select(async (refresh, d) =>
    {
        var mine = times[d] = [];
        while (Stopwatch.GetTimestamp() < stop)
        {
            if (await TryRefreshAsync(refresh) is { } took)
            {
                mine.Add(took);
            }
        }
    }));
    var elapsed = Stopwatch.GetElapsedTime(began).TotalSeconds;
    var all = times.SelectMany(t => t).ToList();
    var requests = refreshes.SelectMany(r => r.Requests).ToList();
    var notModified = refreshes.Sum(r => r.NotModified);
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"dashboards: {dashboards} refreshing back to back, {elapsed:F1} s: {all.Count} refreshes of the {fleet}-target fleet view, {all.Count / elapsed:F1} refreshes/s, "
        + $"refresh {Latencies.Summary(all)}; {requests.Count} requests, {requests.Count / elapsed:F0} req/s, {Latencies.Summary(requests)}, "
        + $"304 share {(requests.Count == 0 ? 0 : 100.0 * notModified / requests.Count):F0}%, errors {errors}; serve CPU {ServeCpu(cpuBefore):F1} s"));
    foreach (var route in refreshes.SelectMany(r => r.ByRoute.Keys).Distinct().Order(StringComparer.Ordinal))
    {
        Console.WriteLine($"  {route}: {Latencies.Summary(refreshes.SelectMany(r => r.ByRoute.GetValueOrDefault(route) ?? []))}");
    }

    // A refresh's time, or null (counted) when a request of it failed.
    async Task<double?> TryRefreshAsync(DashboardRefresh refresh)
    {
        try
        {
            return await refresh.RunAsync(CancellationToken.None);
        }
        catch (Exception e) when (e is HttpRequestException or TaskCanceledException or JsonException)
        {
            Interlocked.Increment(ref errors);
            return null;
        }
    }
}

double ServeCpu(TimeSpan before)
{
    serve!.Refresh();
    return (serve.TotalProcessorTime - before).TotalSeconds;
}

static string LoadAverage() => string.Join(' ', File.ReadAllText("/proc/loadavg").Split(' ').Take(3));

static int FreePort()
{
    using var listener = new TcpListener(IPAddress.Loopback, 0);
    listener.Start();
    return ((IPEndPoint)listener.LocalEndpoint).Port;
}

string? OptionText(string name)
{
    var at = Array.IndexOf(args, name);
    return at >= 0 && at + 1 < args.Length ? args[at + 1] : null;
}

int Option(string name, int fallback) => OptionText(name) is { } text ? int.Parse(text, CultureInfo.InvariantCulture) : fallback;
