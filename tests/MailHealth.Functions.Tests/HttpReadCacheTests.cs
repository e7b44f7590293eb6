using System.Text.Json;
using MailHealth.Functions.Triggers;
using MailHealth.Runs;
using MailHealth.Storage.Queues;
using MailHealth.Testing;
using Microsoft.AspNetCore.Http;

namespace MailHealth.Functions.Tests;

/// <summary>
/// The Functions app's read path (docs/api.md, Caching), through the HTTP function as the worker
/// invokes it: a strong ETag, a 304 on If-None-Match, and a run stored by this worker's queue
/// trigger changing the answer at once (the trigger and the HTTP function share the worker's cache).
/// </summary>
public sealed class HttpReadCacheTests
{
    private static readonly DateTimeOffset FirstSlot = TestClock.Yesterday.AddHours(12);
    private static readonly DateTimeOffset SecondSlot = FirstSlot.AddMinutes(5);

    [Fact]
    public async Task Status_ETagAnd304_AndARunOfThisWorker_ChangesTheAnswerAtOnce()
    {
        await using var app = await FunctionsHarness.StartAsync();
        await app.AddTargetAsync("good", "good.smtp.test");
        var probe = app.Function<ProbeTarget>();
        await probe.RunAsync(StorageQueue<ProbeRequest>.Serialize(new ProbeRequest("good", FirstSlot)), CancellationToken.None);

        var first = await GetStatusAsync(app);
        var second = await GetStatusAsync(app);
        var revalidated = await GetStatusAsync(app, first.ETag);

        Assert.Equal(StatusCodes.Status200OK, first.Status);
        Assert.StartsWith("\"", first.ETag, StringComparison.Ordinal);
        Assert.Equal(first.ETag, second.ETag);
        Assert.Equal("private, no-cache", first.CacheControl);
        Assert.Equal(new RunId("good", FirstSlot).ToString(), RunIdOf(first.Body));
        Assert.Equal(StatusCodes.Status304NotModified, revalidated.Status);
        Assert.Empty(revalidated.Body);
        Assert.Equal(first.ETag, revalidated.ETag);

        await probe.RunAsync(StorageQueue<ProbeRequest>.Serialize(new ProbeRequest("good", SecondSlot)), CancellationToken.None);

        var after = await GetStatusAsync(app, first.ETag);
        Assert.Equal(StatusCodes.Status200OK, after.Status);
        Assert.NotEqual(first.ETag, after.ETag);
        Assert.Equal(new RunId("good", SecondSlot).ToString(), RunIdOf(after.Body));
    }

    private static async Task<(int Status, string ETag, string CacheControl, string Body)> GetStatusAsync(FunctionsHarness app, string? ifNoneMatch = null)
    {
        var headers = new Dictionary<string, string> { ["x-functions-key"] = FunctionsHarness.ReadKey };
        if (ifNoneMatch is not null)
        {
            headers["If-None-Match"] = ifNoneMatch;
        }

        var request = FunctionRequests.Request(app, "GET", "/api/targets/good/status", headers: headers);
        var (status, _, body) = await FunctionRequests.AnswerAsync(request, app.Function<HttpApi>().GetStatusAsync(request, "good", CancellationToken.None));
        var response = request.HttpContext.Response;
        return (status, response.Headers.ETag.ToString(), response.Headers.CacheControl.ToString(), body);
    }

    private static string? RunIdOf(string body)
    {
        using var status = JsonDocument.Parse(body);
        return status.RootElement.GetProperty("runId").GetString();
    }
}
