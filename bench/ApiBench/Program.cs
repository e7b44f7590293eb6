using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using MailHealth.Reports;
using MailHealth.Runs;
using MailHealth.Storage.Configuration;
using MailHealth.Storage.Latest;
using MailHealth.Storage.Runs;
using MailHealth.Storage.Targets;
using MailHealth.Testing;

// The HTTP API under load: seeds Azurite (the peers') with TARGETS targets of RUNS five-minute
// runs each (the real demo report), starts `mailhealth serve` on that storage (built first:
// dotnet build src/MailHealth.Cli -c Release), then CLIENTS concurrent clients read status and
// history pages of random targets for SECONDS: requests per second, p50/p95/p99, errors.
// Needs the peers: MH_NET=... eng/peers/peers.sh start.
// Run: dotnet run -c Release --project bench/ApiBench [-- TARGETS RUNS CLIENTS SECONDS]
var targetCount = Arg(0, 100);
var runsPerTarget = Arg(1, 100);
var clients = Arg(2, 50);
var seconds = Arg(3, 30);
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
    serve = StartServe(url);
    using var http = new HttpClient { BaseAddress = new Uri(url), Timeout = TimeSpan.FromSeconds(30) };
    http.DefaultRequestHeaders.Add("x-functions-key", Key);
    await WaitUntilUpAsync(http);
    await LoadAsync(http);
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
    await Parallel.ForEachAsync(Enumerable.Range(0, targetCount), new ParallelOptions { MaxDegreeOfParallelism = 8 }, async (t, ct) =>
    {
        // Disabled: serve's schedule leaves them alone, the API still serves them.
        var target = sample.Target with { Id = $"t{t:D4}", Enabled = false };
        await targets.UpsertAsync(target, ct);
        for (var i = 0; i < runsPerTarget; i++)
        {
            var runId = new RunId(target.Id, start.AddMinutes(5 * i));
            var report = sample with { Target = target, StartedAt = runId.Slot.AddSeconds(1), FinishedAt = runId.Slot.AddSeconds(9) };
            await runs.WriteAsync(runId, report, ct);
            if (i == runsPerTarget - 1)
            {
                await latest.UpdateAsync(runId, report, ct);
            }
        }
    });
    Console.WriteLine($"seeded {targetCount} targets x {runsPerTarget} runs ({sample.Checks.Count}-check report) in {Stopwatch.GetElapsedTime(began).TotalSeconds:F0} s");
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
    var cli = Path.Combine(Peers.RepoRoot, "src", "MailHealth.Cli", "bin", "Release", "net10.0", "mailhealth.dll");
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

async Task LoadAsync(HttpClient http)
{
    // Warm-up: JIT and connection pools, not measured.
    for (var i = 0; i < 50; i++)
    {
        await http.GetAsync($"/api/targets/t{i % targetCount:D4}/status");
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
            var target = $"t{random.Next(targetCount):D4}";
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
    serve.Refresh();
    var cpu = (serve.TotalProcessorTime - cpuBefore).TotalSeconds;
    var all = latencies.SelectMany(l => l).Order().ToList();
    double P(double q) => all.Count == 0 ? double.NaN : all[Math.Min(all.Count - 1, (int)(q * all.Count))];
    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
        $"{clients} clients, {elapsed:F1} s: {all.Count} requests ({status} status, {history} history pages of 50), {all.Count / elapsed:F0} req/s, "
        + $"p50 {P(0.50):F1} ms, p95 {P(0.95):F1} ms, p99 {P(0.99):F1} ms, max {all.LastOrDefault():F1} ms, errors {errors}; serve CPU {cpu:F1} s, peak RSS {serve.PeakWorkingSet64 / 1048576} MB"));
}

static int FreePort()
{
    using var listener = new TcpListener(IPAddress.Loopback, 0);
    listener.Start();
    return ((IPEndPoint)listener.LocalEndpoint).Port;
}

int Arg(int index, int fallback) => args.Length > index ? int.Parse(args[index], CultureInfo.InvariantCulture) : fallback;
