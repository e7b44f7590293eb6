using System.Globalization;
using System.Text.Json.Nodes;
using MailHealth.Checks;
using MailHealth.Monitor.Api;
using MailHealth.Monitor.Delivery;
using MailHealth.Monitor.Queues;
using MailHealth.Monitor.Scheduling;
using MailHealth.Testing;

namespace MailHealth.Functions.Tests;

/// <summary>
/// What the Functions host would read, since it cannot run here: the functions.metadata the worker
/// SDK wrote into the app's output, and the host.json beside it.
/// </summary>
public sealed class FunctionsMetadataTests
{
    private static readonly Lazy<IReadOnlyDictionary<string, JsonObject>> Functions = new(() =>
        JsonNode.Parse(File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "functions.metadata")))!
            .AsArray()
            .Select(f => f!.AsObject())
            .ToDictionary(f => (string)f["name"]!, StringComparer.Ordinal));

    private static JsonObject Trigger(string function)
    {
        var binding = Assert.Single(Functions.Value[function]["bindings"]!.AsArray(), b => ((string)b!["type"]!).EndsWith("Trigger", StringComparison.Ordinal))!.AsObject();
        Assert.Equal("In", (string)binding["direction"]!);
        return binding;
    }

    private static JsonObject HostJson(string path) => JsonNode.Parse(File.ReadAllText(path))!.AsObject();

    [Fact]
    public void Metadata_ListsExactlyTheAppsFunctions()
    {
        string[] expected = ["ScheduleProbes", "ProbeTarget", "SendNotification", "IngestReport", "PurgeHistory", "SweepDkimSelectors", "PollReportsMailbox", "Dashboard", .. ApiRoutes.All.Select(r => r.Name)];

        Assert.Equal(expected.Order(StringComparer.Ordinal), Functions.Value.Keys.Order(StringComparer.Ordinal));
        Assert.All(Functions.Value.Values, f => Assert.Equal("dotnet-isolated", (string)f["language"]!));
    }

    [Fact]
    public void ScheduleProbes_TimerFromTheScheduleSetting()
    {
        var trigger = Trigger("ScheduleProbes");

        Assert.Equal("timerTrigger", (string)trigger["type"]!);
        Assert.Equal("%MAILHEALTH_SCHEDULE%", (string)trigger["schedule"]!);
    }

    [Fact]
    public void PollReportsMailbox_TimerEveryFiveMinutes_ServesDefault()
    {
        var trigger = Trigger("PollReportsMailbox");

        Assert.Equal(("timerTrigger", ScheduleSettings.DefaultMailboxSchedule), ((string)trigger["type"]!, (string)trigger["schedule"]!));
    }

    [Theory]
    [InlineData("PurgeHistory")]
    [InlineData("SweepDkimSelectors")]
    public void DailyJobs_TimerOnceADay(string function)
    {
        var trigger = Trigger(function);

        Assert.Equal("timerTrigger", (string)trigger["type"]!);
        var fields = ((string)trigger["schedule"]!).Split(' ');

        // second, minute and hour fixed; every day of every month, whatever the weekday.
        Assert.Equal(6, fields.Length);
        Assert.All(fields[..3], f => Assert.True(int.TryParse(f, NumberStyles.None, CultureInfo.InvariantCulture, out _), f));
        Assert.Equal(["*", "*", "*"], fields[3..]);
    }

    [Theory]
    [InlineData("ProbeTarget", "%MAILHEALTH_PROBE_QUEUE%")]
    [InlineData("SendNotification", "%MAILHEALTH_NOTIFICATION_QUEUE%")]
    [InlineData("IngestReport", "%MAILHEALTH_REPORT_QUEUE%")]
    public void QueueTriggers_ReadTheConfiguredQueueAsAString(string function, string queueName)
    {
        var trigger = Trigger(function);

        Assert.Equal("queueTrigger", (string)trigger["type"]!);
        Assert.Equal(queueName, (string)trigger["queueName"]!);
        Assert.Equal("AzureWebJobsStorage", (string)trigger["connection"]!);
        Assert.Equal("String", (string)trigger["dataType"]!);
    }

    public static TheoryData<string> Routes() => [.. ApiRoutes.All.Select(r => r.Name)];

    [Theory]
    [MemberData(nameof(Routes))]
    public void HttpFunction_AsTheRouteTableSays(string name)
    {
        var route = ApiRoutes.All.Single(r => r.Name == name);
        var trigger = Trigger(name);

        Assert.Equal("httpTrigger", (string)trigger["type"]!);
        Assert.Equal(route.Path.TrimStart('/'), (string)trigger["route"]!);
        Assert.Equal([route.Method], trigger["methods"]!.AsArray().Select(m => ((string)m!).ToUpperInvariant()));

        // Anonymous to the host whatever the route's access: the app checks its own keys
        // (ApiAuthorization), so no caller needs a host key, least of all the master key.
        Assert.Equal("Anonymous", (string)trigger["authLevel"]!);

        // The answer is the function's return value (the handler's IResult).
        var output = Assert.Single(Functions.Value[name]["bindings"]!.AsArray(), b => (string)b!["direction"]! == "Out")!;
        Assert.Equal(("$return", "http"), ((string)output["name"]!, (string)output["type"]!));
    }

    [Fact]
    public void HostJson_NoRoutePrefix_SoTheDashboardIsAtTheRoot()
    {
        // Each function's route is its whole path (api/targets/{id}); the dashboard takes the rest.
        var prefix = (string)HostJson(Path.Combine(Peers.RepoRoot, "host.json"))["extensions"]!["http"]!["routePrefix"]!;

        Assert.Equal(string.Empty, prefix);
    }

    [Fact]
    public void Dashboard_AnonymousGetOfEveryOtherPath()
    {
        var trigger = Trigger("Dashboard");

        Assert.Equal("httpTrigger", (string)trigger["type"]!);
        Assert.Equal("{*path}", (string)trigger["route"]!);
        Assert.Equal(["GET"], trigger["methods"]!.AsArray().Select(m => ((string)m!).ToUpperInvariant()));
        Assert.Equal("Anonymous", (string)trigger["authLevel"]!);
    }

    [Fact]
    public void HostJson_TheRepositorysIsTheApps()
    {
        Assert.Equal(
            File.ReadAllText(Path.Combine(Peers.RepoRoot, "host.json")),
            File.ReadAllText(Path.Combine(AppContext.BaseDirectory, "host.json")));
    }

    [Fact]
    public void HostJson_QueuesAsTheWorkerExpects()
    {
        var queues = HostJson(Path.Combine(Peers.RepoRoot, "host.json"))["extensions"]!["queues"]!;

        // serve's QueueWorker and the Functions host give a message the same number of tries.
        Assert.Equal(QueueWorker.MaxDequeueCount, (int)queues["maxDequeueCount"]!);
        Assert.Equal("base64", (string)queues["messageEncoding"]!);
        Assert.InRange((int)queues["batchSize"]!, 1, 32);
    }

    [Fact]
    public void HostJson_FunctionTimeout_LongerThanARunWithinANotificationsClaim()
    {
        var timeout = TimeSpan.Parse((string)HostJson(Path.Combine(Peers.RepoRoot, "host.json"))["functionTimeout"]!, CultureInfo.InvariantCulture);

        // A run ends by its deadline; a send killed by the timeout must not outlive its claim, or a retry could send twice.
        Assert.True(timeout > new CheckOptions().RunDeadline, $"{timeout} is not longer than a run's deadline");
        Assert.True(timeout <= NotificationDispatcher.ClaimLease, $"{timeout} outlives a notification's claim");
    }
}
