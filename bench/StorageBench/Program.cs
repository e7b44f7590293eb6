using System.Globalization;
using System.Text.Json;
using MailHealth.Reports;
using MailHealth.Runs;
using MailHealth.Storage.Configuration;
using MailHealth.Storage.Latest;
using MailHealth.Storage.Runs;
using MailHealth.Testing;

// Storage cost and history query latency on the peers' Azurite: writes 30 days of five-minute
// runs (8,640) of one target, each the real demo report (20 checks), then times pages of 50 of
// the history over random time ranges, newest first. Needs the peers:
// MH_NET=... eng/peers/peers.sh start. Run: dotnet run -c Release --project bench/StorageBench [-- RUNS QUERIES]
var runs = args.Length > 0 ? int.Parse(args[0], CultureInfo.InvariantCulture) : 8640;
var queries = args.Length > 1 ? int.Parse(args[1], CultureInfo.InvariantCulture) : 500;
var time = TimeProvider.System;
var random = new Random(20261129);
var unique = Guid.NewGuid().ToString("N")[..10];
var account = new StorageAccount(new StorageOptions
{
    ConnectionString = Peers.AzuriteConnectionString,
    TablePrefix = "bench" + unique,
    ProbeQueueName = "bench-p-" + unique,
    NotificationQueueName = "bench-n-" + unique,
    ReportQueueName = "bench-r-" + unique,
    ReportContainerName = "bench-r-" + unique,
});
await new StorageInitializer(account).InitializeAsync();
var store = new RunStore(account);
var latest = new LatestStatusStore(account);
var sample = JsonSerializer.Deserialize<Report>(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "sample-report.json")), ReportJson.Options)!;
var start = new DateTimeOffset(2026, 10, 1, 0, 0, 0, TimeSpan.Zero);
var interval = TimeSpan.FromMinutes(5);
Console.WriteLine($"Azurite {Peers.AzuriteAddress}, {runs} runs of a {sample.Checks.Count}-check report, {queries} history queries (pages of 50)");

try
{
    // Writes: 4 at a time, as a few queue workers would.
    long entities = 0, bytes = 0, transactions = 0, gzip = 0, json = 0;
    var began = time.GetTimestamp();
    await Parallel.ForEachAsync(Enumerable.Range(0, runs), new ParallelOptions { MaxDegreeOfParallelism = 4 }, async (i, ct) =>
    {
        var runId = new RunId("bench", start + (interval * i));
        var report = sample with { Target = sample.Target with { Id = "bench" }, StartedAt = runId.Slot.AddSeconds(2), FinishedAt = runId.Slot.AddSeconds(11) };
        var result = await store.WriteAsync(runId, report, ct);
        Interlocked.Add(ref entities, result.Entities);
        Interlocked.Add(ref bytes, result.Bytes);
        Interlocked.Add(ref transactions, result.Transactions);
        Interlocked.Add(ref gzip, result.ReportGzipBytes);
        Interlocked.Add(ref json, result.ReportJsonBytes);
    });
    var writeSeconds = time.GetElapsedTime(began).TotalSeconds;
    Console.WriteLine($"write: {runs} runs in {writeSeconds:F1} s ({runs / writeSeconds:F0} runs/s); per run {entities / (double)runs:F2} entities, "
        + $"{bytes / (double)runs:F0} B stored, {transactions / (double)runs:F2} transactions; report JSON {json / runs} B -> gzip {gzip / runs} B");

    var lastRun = new RunId("bench", start + (interval * (runs - 1)));
    var latestReport = sample with { Target = sample.Target with { Id = "bench" }, StartedAt = lastRun.Slot, FinishedAt = lastRun.Slot.AddSeconds(11) };
    began = time.GetTimestamp();
    await latest.UpdateAsync(lastRun, latestReport);
    Console.WriteLine($"latest status update (1 partition read + 1 transaction of {sample.Checks.Count + 1} operations): {time.GetElapsedTime(began).TotalMilliseconds:F1} ms");

    var span = interval * runs;
    await MeasureAsync("newest page, no range", _ => new HistoryQuery("bench"));
    await MeasureAsync("random range", r =>
    {
        var from = start + TimeSpan.FromTicks((long)(r.NextDouble() * span.Ticks));
        var to = from + TimeSpan.FromTicks((long)(r.NextDouble() * (start + span - from).Ticks));
        return new HistoryQuery("bench") { From = from, To = to };
    });
    await MeasureAsync("random range, one check (smtp:...:25)", r =>
    {
        var from = start + TimeSpan.FromTicks((long)(r.NextDouble() * span.Ticks));
        return new HistoryQuery("bench") { From = from, CheckId = "smtp:mx.good.smtp.test:25" };
    });
    await MeasureAsync("second page of a random range", r => new HistoryQuery("bench") { To = start + TimeSpan.FromTicks((long)(r.NextDouble() * span.Ticks)) }, secondPage: true);

    // The same key range straight through the SDK, nothing decoded: what the emulator itself takes.
    var runsTable = account.Table(StorageTables.Runs);
    var rawTimes = new List<double>();
    for (var i = 0; i < queries; i++)
    {
        var from = start + TimeSpan.FromTicks((long)(random.NextDouble() * span.Ticks));
        var filter = Azure.Data.Tables.TableClient.CreateQueryFilter(
            $"PartitionKey eq {"bench"} and RowKey ge {"r"} and RowKey le {"r" + MailHealth.Storage.Keys.ReverseTime.Key(from)}");
        var rawBegan = time.GetTimestamp();
        await foreach (var page in runsTable.QueryAsync<Azure.Data.Tables.TableEntity>(filter, 50, ["RunId", "Slot", "Status"]).AsPages(null, 50))
        {
            break;
        }

        rawTimes.Add(time.GetElapsedTime(rawBegan).TotalMilliseconds);
    }

    rawTimes.Sort();
    Console.WriteLine($"raw SDK query of the same range, 3 columns, no decoding: p50 {Percentile(rawTimes, 0.50):F1} ms, p95 {Percentile(rawTimes, 0.95):F1} ms");

    began = time.GetTimestamp();
    var report = await store.GetReportAsync(new RunId("bench", start + (interval * (runs / 2))));
    Console.WriteLine($"one full report read: {time.GetElapsedTime(began).TotalMilliseconds:F1} ms ({report!.Checks.Count} checks)");
}
finally
{
    foreach (var table in account.TableNames)
    {
        await account.Tables.DeleteTableAsync(table);
    }

    foreach (var queue in account.QueueNames)
    {
        await account.Queues.DeleteQueueAsync(queue);
    }

    await account.ReportContainer.DeleteIfExistsAsync();
}

async Task MeasureAsync(string label, Func<Random, HistoryQuery> make, bool secondPage = false)
{
    for (var i = 0; i < 20; i++)
    {
        await store.GetHistoryAsync(make(random));
    }

    var times = new List<double>();
    var rows = 0;
    for (var i = 0; i < queries; i++)
    {
        var query = make(random);
        if (secondPage)
        {
            var first = await store.GetHistoryAsync(query);
            query = query with { ContinuationToken = first.ContinuationToken };
            if (query.ContinuationToken is null)
            {
                continue;
            }
        }

        var began = time.GetTimestamp();
        var page = await store.GetHistoryAsync(query);
        times.Add(time.GetElapsedTime(began).TotalMilliseconds);
        rows += page.Items.Count;
    }

    times.Sort();
    Console.WriteLine($"{label}: p50 {Percentile(times, 0.50):F1} ms, p95 {Percentile(times, 0.95):F1} ms, max {times[^1]:F1} ms "
        + $"({times.Count} queries, {rows / (double)times.Count:F1} runs per page)");
}

static double Percentile(List<double> sorted, double p) => sorted[Math.Clamp((int)Math.Ceiling(p * sorted.Count) - 1, 0, sorted.Count - 1)];
