using System.Net;
using System.Net.Http.Json;
using System.Text;
using System.Text.Json;
using MailHealth.Monitor.Api;
using MailHealth.Monitor.Availability;
using MailHealth.Monitor.Scheduling;
using MailHealth.Storage.Availability;
using MailHealth.Storage.Queues;
using MailHealth.Storage.Runs;
using MailHealth.Testing;
using MailHealth.Testing.Api;
using MailHealth.Testing.Servers;

namespace MailHealth.Cli.Tests.Serve;

/// <summary>
/// serve on a store that hangs (its own Azurite, frozen with SIGSTOP: connections accepted, never
/// answered): every API route that needs storage answers 503 with problem+json and Retry-After
/// within its deadline, the process stays up and says so, the tick's slot is recorded as lost, and
/// once the store thaws the run that was cut off is stored once.
/// </summary>
public sealed class ServeStorageOutageTests
{
    // A hang guard for each call, not a timing: the deadlines below are seconds.
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(30);

    [Fact]
    public async Task FrozenStore_EveryRoute503_TheSlotRecordedAsLost_AndTheRunStoredOnceAfterTheThaw()
    {
        await using var azurite = await AzuriteProcess.StartAsync(Peers.Address(0, 111));
        // A mail host that accepts and never greets: the run is in its checks when the store freezes.
        await using var silent = SocketServer.Silent();
        await using var serve = await ServeHarness.StartAsync(
            $$"""[ { "id": "slow", "domain": "good.smtp.test", "hosts": ["{{silent.Address}}"], "ports": ["{{silent.Port}}:smtp"], "dnsbl": ["bl.rep.test"] } ]""",
            settings: OutageSettings(azurite));
        using var admin = new HttpClient { BaseAddress = serve.Http.BaseAddress, Timeout = Guard };
        admin.DefaultRequestHeaders.Add("x-functions-key", ServeHarness.AdminKey);

        using var accepted = await admin.PostAsync(new Uri("/api/targets/slow/probe", UriKind.Relative), null);
        Assert.Equal(HttpStatusCode.Accepted, accepted.StatusCode);
        var runId = (await accepted.Content.ReadFromJsonAsync<JsonElement>()).GetProperty("runId").GetString();
        await ServeHarness.EventuallyAsync(() => Task.FromResult(silent.Accepted > 0 ? (object)true : null), "the run connects to the silent host");

        await using var frozen = await azurite.FreezeAsync();
        var tick = Assert.ThrowsAsync<StorageUnavailableException>(() => serve.Get<ProbeScheduler>().ScheduleAsync(CancellationToken.None).WaitAsync(Guard));
        var answers = await Task.WhenAll(RouteRequest.NeedingStorage("slow")
            .Select(async r => (Request: r, Answer: await admin.SendAsync(Request(r)))));
        await tick;

        foreach (var (request, answer) in answers)
        {
            await AssertStorageUnavailableAsync(request, answer);
        }

        // The process is up and says what it knows without asking the store.
        using var liveness = JsonDocument.Parse(await serve.Http.GetStringAsync(new Uri("/api/health", UriKind.Relative)));
        Assert.Equal("degraded", liveness.RootElement.GetProperty("status").GetString());
        Assert.Contains(liveness.RootElement.GetProperty("problems").EnumerateArray(), p => p.GetString()!.StartsWith("storage has been unavailable since", StringComparison.Ordinal));
        var lost = Assert.Single(serve.Get<OutageRecorder>().PendingSlots);
        using var detail = JsonDocument.Parse(await (await admin.GetAsync(new Uri("/api/health/detail", UriKind.Relative))).Content.ReadAsStringAsync());
        Assert.Equal(lost.Slot, detail.RootElement.GetProperty("lostSlots")[0].GetProperty("slot").GetDateTimeOffset());

        await azurite.ThawAsync();

        // The run cut off by the outage comes back with its message and is stored once.
        var probes = serve.Get<ProbeQueue>();
        var runs = serve.Get<RunStore>();
        await ServeHarness.EventuallyAsync(
            async () => (await probes.GetDepthAsync()).Messages == 0 && (await runs.GetHistoryAsync(new HistoryQuery("slow"))).Items.Count > 0 ? (object)true : null,
            "the run is stored and its message deleted");
        var run = Assert.Single((await runs.GetHistoryAsync(new HistoryQuery("slow"))).Items);
        Assert.Equal(runId, run.RunId);

        // What the outage cost is recorded once storage answers, and the detailed health shows it.
        Assert.True(await serve.Get<OutageRecorder>().RecordAsync(CancellationToken.None));
        using var health = JsonDocument.Parse(await admin.GetStringAsync(new Uri("/api/health/detail", UriKind.Relative)));
        var storage = health.RootElement.GetProperty("storage");
        Assert.Contains(storage.GetProperty("lostSlots").EnumerateArray(), s => s.GetProperty("slot").GetDateTimeOffset() == lost.Slot);
        Assert.Contains(storage.GetProperty("outages").EnumerateArray(), o => o.TryGetProperty("until", out _));
        Assert.Contains(health.RootElement.GetProperty("problems").EnumerateArray(), p => p.GetString()!.StartsWith("1 schedule slot(s) lost to storage outages", StringComparison.Ordinal));
        var metrics = new PrometheusText(await serve.Http.GetStringAsync(new Uri("/metrics", UriKind.Relative)));
        Assert.Equal(1, metrics.Value("mailhealth_schedule_slots_lost_total"));
    }

    [Fact]
    public async Task Start_StoreFrozen_FailsAsAnOutageWithinTheDeadline_NotAfterTheClientsRetries()
    {
        await using var azurite = await AzuriteProcess.StartAsync(Peers.Address(0, 114));
        await using var frozen = await azurite.FreezeAsync();

        // serve exits 1 on this (ServeCommand); before, it waited for the SDK's 4 tries of 100 s per table.
        var error = await Assert.ThrowsAsync<StorageUnavailableException>(() => ServeHarness.StartAsync("[]", settings: OutageSettings(azurite)).WaitAsync(Guard));

        Assert.Equal("storage did not answer within 5 s", error.Message);
    }

    [Fact]
    public async Task FrozenStore_AReadNotKeptIs503_NeverKept_AndAnswersOnceTheStoreThaws()
    {
        await using var azurite = await AzuriteProcess.StartAsync(Peers.Address(0, 115));
        await using var serve = await ServeHarness.StartAsync(
            """[ { "id": "shop", "domain": "good.smtp.test", "ports": [25], "dnsbl": ["bl.rep.test"] } ]""",
            settings: OutageSettings(azurite));
        using var read = new HttpClient { BaseAddress = serve.Http.BaseAddress, Timeout = Guard };
        read.DefaultRequestHeaders.Add("x-functions-key", ServeHarness.ReadKey);
        var target = new Uri("/api/targets/shop", UriKind.Relative);
        var status = new Uri("/api/targets/shop/status", UriKind.Relative);
        using var kept = await read.GetAsync(target);
        Assert.Equal(HttpStatusCode.OK, kept.StatusCode);

        await using (await azurite.FreezeAsync())
        {
            // What the API read before the outage it still has; what it did not, storage cannot give.
            using var keptDuringOutage = await read.GetAsync(target);
            Assert.Equal(HttpStatusCode.OK, keptDuringOutage.StatusCode);
            using var unavailable = await read.GetAsync(status);
            await AssertStorageUnavailableAsync(RouteRequest.All("shop").Single(r => r.Route.Name == ApiRoutes.GetStatus), unavailable);
        }

        // The 503 was not kept: once storage answers, so does the route.
        using var answered = await read.GetAsync(status);
        Assert.Equal(HttpStatusCode.OK, answered.StatusCode);
        Assert.NotNull(answered.Headers.ETag);
        using var body = JsonDocument.Parse(await answered.Content.ReadAsStringAsync());
        Assert.Equal("shop", body.RootElement.GetProperty("targetId").GetString());
    }

    /// <summary>
    /// The API and the storage clients at their defaults (the 503 comes from the deadline a user
    /// gets); the monitor's own deadline and the retry of a message short; a daily schedule, so
    /// that only the test ticks it.
    /// </summary>
    private static Dictionary<string, string?> OutageSettings(AzuriteProcess azurite) => new()
    {
        ["MailHealth:Storage:ConnectionString"] = azurite.ConnectionString,
        ["MailHealth:Monitor:StorageDeadline"] = "00:00:05",
        ["MailHealth:Monitor:MessageVisibilityTimeout"] = "00:00:10",
        ["MailHealth:Monitor:Interval"] = "1.00:00:00",
        ["MailHealth:Checks:GreetingTimeout"] = "00:00:03",
        ["MAILHEALTH_SCHEDULE"] = "0 0 0 * * *",
    };

    private static HttpRequestMessage Request(RouteRequest request)
    {
        var message = new HttpRequestMessage(new HttpMethod(request.Route.Method), new Uri(request.Path, UriKind.Relative));
        if (request.Body is not null)
        {
            message.Content = new StringContent(request.Body, Encoding.UTF8, "application/json");
        }

        return message;
    }

    private static async Task AssertStorageUnavailableAsync(RouteRequest request, HttpResponseMessage answer)
    {
        var body = await answer.Content.ReadAsStringAsync();
        Assert.True(answer.StatusCode == HttpStatusCode.ServiceUnavailable, $"{request.Route.Name}: {(int)answer.StatusCode} {body}");
        Assert.Equal("application/problem+json", answer.Content.Headers.ContentType?.MediaType);
        Assert.Equal(TimeSpan.FromSeconds(30), answer.Headers.RetryAfter?.Delta);
        using var problem = JsonDocument.Parse(body);
        Assert.Equal("Storage unavailable", problem.RootElement.GetProperty("title").GetString());
        Assert.True(problem.RootElement.TryGetProperty("unavailableSince", out _), $"{request.Route.Name}: {body}");
    }
}
