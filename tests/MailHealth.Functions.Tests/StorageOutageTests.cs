using System.Reflection;
using System.Text;
using System.Text.Json;
using MailHealth.Functions.Triggers;
using MailHealth.Monitor.Api;
using MailHealth.Monitor.Availability;
using MailHealth.Runs;
using MailHealth.Storage.Availability;
using MailHealth.Storage.Queues;
using MailHealth.Storage.Runs;
using MailHealth.Testing;
using MailHealth.Testing.Api;
using MailHealth.Testing.Http;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Hosting;

namespace MailHealth.Functions.Tests;

/// <summary>
/// The Functions app on a store that hangs (its own Azurite, frozen with SIGSTOP): its HTTP
/// functions answer 503 with problem+json and Retry-After as serve does, its triggers fail as a
/// storage outage (the host retries them) and a run retried after the thaw is stored once; and it
/// starts with storage down, says so, and creates its tables once storage answers.
/// </summary>
public sealed class StorageOutageTests
{
    // A hang guard for each call, not a timing: the deadlines below are seconds.
    private static readonly TimeSpan Guard = TimeSpan.FromSeconds(30);

    /// <summary>The outage's deadlines, short; a daily schedule (the timer is the test's call).</summary>
    private static Dictionary<string, string?> OutageSettings(AzuriteProcess azurite) => new()
    {
        [FunctionsSettings.StorageConnection] = azurite.ConnectionString,
        ["MailHealth:Storage:NetworkTimeout"] = "00:00:02",
        ["MailHealth:Storage:MaxRetries"] = "1",
        ["MailHealth:Api:StorageDeadline"] = "00:00:02",
        ["MailHealth:Monitor:StorageDeadline"] = "00:00:05",
        ["MailHealth:Monitor:Interval"] = "1.00:00:00",
        [FunctionsSettings.ScheduleSetting] = "0 0 0 * * *",
    };

    [Fact]
    public async Task FrozenStore_EveryHttpFunction503_TriggersFailAsAnOutage_AndTheRetriedRunIsStoredOnce()
    {
        await using var azurite = await AzuriteProcess.StartAsync(Peers.Address(0, 112));
        await using var app = await FunctionsHarness.StartAsync(settings: OutageSettings(azurite));
        await app.AddTargetAsync("good", "good.smtp.test");
        var slot = RunId.SlotOf(TimeProvider.System.GetUtcNow(), TimeSpan.FromMinutes(5));
        var message = StorageQueue<ProbeRequest>.Serialize(new ProbeRequest("good", slot));
        var http = app.Function<HttpApi>();

        await using var frozen = await azurite.FreezeAsync();
        var tick = Assert.ThrowsAsync<StorageUnavailableException>(() => app.Function<ScheduleProbes>().RunAsync(new TimerInfo(), CancellationToken.None).WaitAsync(Guard));
        var run = Assert.ThrowsAsync<StorageUnavailableException>(() => app.Function<ProbeTarget>().RunAsync(message, CancellationToken.None).WaitAsync(Guard));
        var answers = await Task.WhenAll(RouteRequest.NeedingStorage("good")
            .Select(async r => (Request: r, Answer: await CallAsync(app, http, r).WaitAsync(Guard))));
        await tick;
        await run;

        foreach (var (request, answer) in answers)
        {
            Assert.True(answer.Status == StatusCodes.Status503ServiceUnavailable, $"{request.Route.Name}: {answer.Status} {answer.Body}");
            Assert.StartsWith("application/problem+json", answer.ContentType, StringComparison.Ordinal);
            Assert.Equal("30", answer.RetryAfter);
            Assert.Equal("Storage unavailable", answer.Body.GetProperty("title").GetString());
        }

        var liveness = await CallAsync(app, http, RouteRequest.All("good").Single(r => r.Route.Name == ApiRoutes.GetHealth));
        Assert.Equal(StatusCodes.Status200OK, liveness.Status);
        Assert.Equal("degraded", liveness.Body.GetProperty("status").GetString());

        await azurite.ThawAsync();

        // The host retries the message (and may deliver it twice): one run is stored.
        await app.Function<ProbeTarget>().RunAsync(message, CancellationToken.None);
        await app.Function<ProbeTarget>().RunAsync(message, CancellationToken.None);
        var stored = Assert.Single((await app.Get<RunStore>().GetHistoryAsync(new HistoryQuery("good"))).Items);
        Assert.Equal(slot, stored.Slot);

        Assert.True(await app.Get<OutageRecorder>().RecordAsync(CancellationToken.None));
        var detail = await CallAsync(app, http, RouteRequest.All("good").Single(r => r.Route.Name == ApiRoutes.GetHealthDetail));
        Assert.Equal(StatusCodes.Status200OK, detail.Status);
        Assert.Single(detail.Body.GetProperty("storage").GetProperty("lostSlots").EnumerateArray());
    }

    [Fact]
    public async Task Start_StorageFrozen_TheWorkerStartsAndSaysSo_ThenCreatesTheTablesOnceItAnswers()
    {
        await using var azurite = await AzuriteProcess.StartAsync(Peers.Address(0, 113));
        await using var webhook = new HttpReceiver();
        var values = FunctionsHarness.Settings(PeerStorage.UniquePrefix('f'), webhook.Url());
        foreach (var (key, value) in OutageSettings(azurite))
        {
            values[key] = value;
        }

        // Where the Functions host would be: only for building the worker's own hosted service, never called.
        values["Functions:Worker:HostEndpoint"] = "http://127.0.0.1:9";

        await using var frozen = await azurite.FreezeAsync();
        using var host = MailHealthFunctionsApp.Build([], configuration => configuration.AddInMemoryCollection(values));
        var service = host.Services.GetServices<IHostedService>().OfType<StorageStartupService>().Single();
        await service.StartAsync(CancellationToken.None).WaitAsync(Guard);
        var startup = host.Services.GetRequiredService<StorageStartup>();
        await EventuallyAsync(() => startup.Problem is not null, "the first attempt fails");

        var http = ActivatorUtilities.CreateInstance<HttpApi>(host.Services);
        var requests = RouteRequest.All("good");
        var liveness = await CallAsync(host.Services, http, requests.Single(r => r.Route.Name == ApiRoutes.GetHealth));
        Assert.Equal("degraded", liveness.Body.GetProperty("status").GetString());
        Assert.Contains(liveness.Body.GetProperty("problems").EnumerateArray(), p => p.GetString() == "storage's tables and queues are not created yet");
        var detail = await CallAsync(host.Services, http, requests.Single(r => r.Route.Name == ApiRoutes.GetHealthDetail)).WaitAsync(Guard);
        Assert.Equal(StatusCodes.Status503ServiceUnavailable, detail.Status);

        await azurite.ThawAsync();
        await EventuallyAsync(() => startup.Initialized, "a later attempt creates the tables and queues");

        liveness = await CallAsync(host.Services, http, requests.Single(r => r.Route.Name == ApiRoutes.GetHealth));
        Assert.Equal("ok", liveness.Body.GetProperty("status").GetString());
        detail = await CallAsync(host.Services, http, requests.Single(r => r.Route.Name == ApiRoutes.GetHealthDetail)).WaitAsync(Guard);
        Assert.Equal(StatusCodes.Status200OK, detail.Status);
        await service.StopAsync(CancellationToken.None);
    }

    private static Task<Answer> CallAsync(FunctionsHarness app, HttpApi http, RouteRequest request) => CallAsync(app.Services, http, request);

    /// <summary>Calls the HTTP function of <paramref name="request"/>'s route as the worker's ASP.NET Core integration does, and executes its result.</summary>
    private static async Task<Answer> CallAsync(IServiceProvider services, HttpApi http, RouteRequest request)
    {
        var context = new DefaultHttpContext { RequestServices = services };
        context.Request.Method = request.Route.Method;
        context.Request.Path = request.Path;
        context.Request.Headers["x-functions-key"] = FunctionsHarness.AdminKey;
        if (request.Body is not null)
        {
            var bytes = Encoding.UTF8.GetBytes(request.Body);
            context.Request.ContentType = "application/json";
            context.Request.ContentLength = bytes.Length;
            context.Request.Body = new MemoryStream(bytes);
        }

        context.Response.Body = new MemoryStream();
        var function = typeof(HttpApi).GetMethods().Single(m => m.GetCustomAttribute<FunctionAttribute>()?.Name == request.Route.Name);
        var arguments = function.GetParameters()
            .Select(p => p.ParameterType == typeof(HttpRequest) ? context.Request : p.ParameterType == typeof(string) ? request.Id : (object)CancellationToken.None)
            .ToArray();
        var result = await (Task<IResult>)function.Invoke(http, arguments)!;
        await result.ExecuteAsync(context);
        context.Response.Body.Position = 0;
        using var body = await JsonDocument.ParseAsync(context.Response.Body);
        return new Answer(context.Response.StatusCode, context.Response.ContentType ?? "", context.Response.Headers.RetryAfter.ToString(), body.RootElement.Clone());
    }

    /// <summary>
    /// Waits for <paramref name="condition"/>, up to three minutes: a hang guard, not a timing. The
    /// start-up's attempts back off to a minute apart (StorageStartup.MaxRetryDelay), and on a loaded
    /// machine the first attempt after the thaw can still miss its deadline, so the next success may
    /// come two waits later; a one-minute bound failed the test that way under load.
    /// </summary>
    private static async Task EventuallyAsync(Func<bool> condition, string what)
    {
        for (var i = 0; i < 1800 && !condition(); i++)
        {
            await Task.Delay(100);
        }

        Assert.True(condition(), "never happened: " + what);
    }

    private sealed record Answer(int Status, string ContentType, string RetryAfter, JsonElement Body);
}
