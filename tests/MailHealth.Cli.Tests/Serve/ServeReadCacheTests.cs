using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using MailHealth.Monitor.Runs;
using MailHealth.Runs;
using MailHealth.Storage.Queues;
using MailHealth.Storage.Targets;
using MailHealth.Testing;
using Microsoft.Extensions.Time.Testing;

namespace MailHealth.Cli.Tests.Serve;

/// <summary>
/// serve's read path (docs/api.md, Caching): read answers carry a strong ETag and their
/// Cache-Control and answer If-None-Match with a 304; a run stored by this process shows at once,
/// one stored by another process within a cycle. Each serve runs on a clock that moves only when
/// the test says, so no schedule tick adds a run of its own.
/// </summary>
public sealed class ServeReadCacheTests
{
    private const string Shop = """[ { "id": "shop", "domain": "good.smtp.test", "ports": [25], "dnsbl": ["bl.rep.test"] } ]""";

    private static readonly DateTimeOffset FirstSlot = TestClock.Yesterday.AddHours(12);
    private static readonly DateTimeOffset SecondSlot = FirstSlot.AddMinutes(5);

    /// <summary>Every read route the dashboard and API clients revalidate.</summary>
    private static readonly string[] ReadPaths =
    [
        "/api/targets/shop/status",
        "/api/status?limit=10",
        "/api/targets/shop/history?limit=5",
        "/api/targets/shop/report",
        "/api/events?target=shop",
        "/api/events",
        "/api/targets",
        "/api/targets/shop",
        "/api/alerts?state=all",
        "/api/alerts?state=all&target=shop",
        "/api/health/detail",
    ];

    [Fact]
    public async Task ReadRoutes_CarryAStableStrongETag_AndAnswerIfNoneMatchWith304WithoutABody()
    {
        await using var serve = await ServeHarness.StartAsync(Shop, Clock(), Settings());
        await RunAsync(serve, FirstSlot);

        foreach (var path in ReadPaths)
        {
            using var first = await GetAsync(serve, path);
            using var second = await GetAsync(serve, path);
            var etag = first.Headers.ETag;
            Assert.True(first.StatusCode == HttpStatusCode.OK, $"{path}: {(int)first.StatusCode}");
            Assert.True(etag is { IsWeak: false }, $"{path}: no strong ETag");
            Assert.Equal(etag, second.Headers.ETag);
            Assert.Equal(await first.Content.ReadAsByteArrayAsync(), await second.Content.ReadAsByteArrayAsync());
            Assert.True(first.Headers.CacheControl is { Private: true, NoCache: true }, $"{path}: Cache-Control {first.Headers.CacheControl}");
            Assert.Contains("x-functions-key", first.Headers.Vary);

            using var revalidated = await GetAsync(serve, path, etag);
            Assert.True(revalidated.StatusCode == HttpStatusCode.NotModified, $"{path}: {(int)revalidated.StatusCode}");
            Assert.Empty(await revalidated.Content.ReadAsByteArrayAsync());
            Assert.Equal(etag, revalidated.Headers.ETag);
            Assert.Equal(first.Headers.CacheControl, revalidated.Headers.CacheControl);

            // If-None-Match compares weakly (RFC 9110 section 13.1.2); another tag gets the body.
            using var weak = await GetAsync(serve, path, new EntityTagHeaderValue(etag!.Tag, isWeak: true));
            Assert.Equal(HttpStatusCode.NotModified, weak.StatusCode);
            using var other = await GetAsync(serve, path, new EntityTagHeaderValue("\"something-else\""));
            Assert.Equal(HttpStatusCode.OK, other.StatusCode);
        }

        // A range that ended before this cycle may be kept a cycle without asking.
        using var closed = await GetAsync(serve, $"/api/targets/shop/history?to={TestClock.Query(TestClock.Yesterday)}");
        Assert.Equal(TimeSpan.FromMinutes(5), closed.Headers.CacheControl?.MaxAge);
        Assert.True(closed.Headers.CacheControl is { Private: true, NoCache: false });

        // Refusals and misses carry no validator.
        using var unknown = await GetAsync(serve, "/api/targets/nobody/status");
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
        Assert.Null(unknown.Headers.ETag);
    }

    [Fact]
    public async Task ARunStored_ShowsAtOnceOnTheProcessThatStoredIt_AndWithinACycleOnAnother()
    {
        var writerClock = Clock();
        var readerClock = Clock();
        // The writer is stopped last (await using order): it owns the storage.
        await using var writer = await ServeHarness.StartAsync(Shop, writerClock, Settings());
        await using var reader = await ServeHarness.StartAsync("[]", readerClock, Settings(), sharing: writer);
        await RunAsync(writer, FirstSlot);
        var first = new RunId("shop", FirstSlot).ToString();
        var second = new RunId("shop", SecondSlot).ToString();

        var before = new Dictionary<string, EntityTagHeaderValue>();
        // (Not the report: on a clock that stands still two runs of one target write the same bytes, rightly one tag.)
        foreach (var path in new[] { "/api/targets/shop/status", "/api/status", "/api/targets/shop/history" })
        {
            using var answer = await GetAsync(writer, path);
            before[path] = answer.Headers.ETag!;
        }

        Assert.Equal(first, await StatusRunIdAsync(reader));

        await RunAsync(writer, SecondSlot);

        // The writer's copies went with its write: the new run, under new tags, at once.
        Assert.Equal(second, await StatusRunIdAsync(writer));
        foreach (var (path, etag) in before)
        {
            using var answer = await GetAsync(writer, path, etag);
            Assert.True(answer.StatusCode == HttpStatusCode.OK, $"{path}: {(int)answer.StatusCode}");
            Assert.NotEqual(etag, answer.Headers.ETag);
        }

        foreach (var list in new[] { "/api/status", "/api/targets/shop/history" })
        {
            using var page = JsonDocument.Parse(await writer.Read.GetStringAsync(new Uri(list, UriKind.Relative)));
            Assert.Equal(second, page.RootElement.GetProperty("items")[0].GetProperty("runId").GetString());
        }

        // Nothing more is run while the reader's clock moves (its schedule ticks then).
        var target = await writer.Get<TargetStore>().GetAsync("shop");
        await writer.Get<TargetStore>().UpsertAsync(target!.Target with { Enabled = false });

        // The reader answers from its copy until a cycle has passed, then from storage.
        Assert.Equal(first, await StatusRunIdAsync(reader));
        readerClock.Advance(TimeSpan.FromMinutes(5) - TimeSpan.FromSeconds(1));
        Assert.Equal(first, await StatusRunIdAsync(reader));
        readerClock.Advance(TimeSpan.FromSeconds(1));
        Assert.Equal(second, await StatusRunIdAsync(reader));
        Assert.Equal(0, (await reader.Get<ProbeQueue>().GetDepthAsync()).Messages);
    }

    /// <summary>Real "now", moving only when told: certificates are judged against today, no tick comes by itself.</summary>
    private static FakeTimeProvider Clock() => new(TestClock.Start);

    /// <summary>The daily purge half a day away from now, so that moving a clock by a cycle never runs it.</summary>
    private static Dictionary<string, string?> Settings() => new()
    {
        ["MAILHEALTH_PURGE_SCHEDULE"] = $"0 0 {(TestClock.Start.Hour + 12) % 24} * * *",
    };

    private static Task<TargetRunOutcome> RunAsync(ServeHarness serve, DateTimeOffset slot) =>
        serve.Get<TargetRunService>().RunAsync(new ProbeRequest("shop", slot), CancellationToken.None);

    private static async Task<string?> StatusRunIdAsync(ServeHarness serve)
    {
        using var status = JsonDocument.Parse(await serve.Read.GetStringAsync(new Uri("/api/targets/shop/status", UriKind.Relative)));
        return status.RootElement.GetProperty("runId").GetString();
    }

    private static async Task<HttpResponseMessage> GetAsync(ServeHarness serve, string path, EntityTagHeaderValue? ifNoneMatch = null)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri(path, UriKind.Relative));
        if (ifNoneMatch is not null)
        {
            request.Headers.IfNoneMatch.Add(ifNoneMatch);
        }

        return await serve.Read.SendAsync(request);
    }
}
