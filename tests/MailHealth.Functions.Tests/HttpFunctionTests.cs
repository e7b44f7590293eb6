using System.Text.Json;
using MailHealth.Functions.Triggers;
using MailHealth.Storage.Queues;
using MailHealth.Storage.Targets;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Configuration;
using static MailHealth.Functions.Tests.FunctionRequests;

namespace MailHealth.Functions.Tests;

/// <summary>
/// The HTTP functions invoked as the worker's ASP.NET Core integration does: the request's
/// HttpContext in, the returned IResult executed on it; real handlers on Azurite.
/// </summary>
public sealed class HttpFunctionTests
{
    private static async Task<(int Status, string ContentType, JsonElement Body)> AnswerAsync(HttpRequest request, Task<IResult> function)
    {
        var (status, contentType, body) = await FunctionRequests.AnswerAsync(request, function);
        using var document = JsonDocument.Parse(body);
        return (status, contentType, document.RootElement.Clone());
    }

    [Fact]
    public async Task PutThenGetTarget_StoresAndAnswersTheTarget()
    {
        await using var app = await FunctionsHarness.StartAsync();
        var http = app.Function<HttpApi>();

        var put = AdminRequest(app, "PUT", "/api/targets/shop", """{"domain":"shop.example","ports":[25]}""");
        var (created, _, _) = await AnswerAsync(put, http.PutTargetAsync(put, "shop", CancellationToken.None));
        var get = AdminRequest(app, "GET", "/api/targets/shop");
        var (status, _, target) = await AnswerAsync(get, http.GetTargetAsync(get, "shop", CancellationToken.None));

        Assert.Equal(StatusCodes.Status201Created, created);
        Assert.Equal(StatusCodes.Status200OK, status);
        Assert.Equal("shop.example", target.GetProperty("domain").GetString());
        Assert.NotNull(await app.Get<TargetStore>().GetAsync("shop"));
    }

    [Fact]
    public async Task Dashboard_ServesThePageAtTheRoot_AndUnknownApiPathsAsProblems()
    {
        await using var app = await FunctionsHarness.StartAsync();
        var dashboard = app.Function<DashboardPage>();

        var root = Request(app, "GET", "/");
        await (await dashboard.GetAsync(root, null, CancellationToken.None)).ExecuteAsync(root.HttpContext);
        root.HttpContext.Response.Body.Position = 0;
        var page = await new StreamReader(root.HttpContext.Response.Body).ReadToEndAsync();
        Assert.Equal(StatusCodes.Status200OK, root.HttpContext.Response.StatusCode);
        Assert.StartsWith("text/html", root.HttpContext.Response.ContentType, StringComparison.Ordinal);
        Assert.Contains("MailHealth", page, StringComparison.Ordinal);

        var unknown = Request(app, "GET", "/api/nothing");
        var (status, contentType, problem) = await AnswerAsync(unknown, dashboard.GetAsync(unknown, "api/nothing", CancellationToken.None));
        Assert.Equal(StatusCodes.Status404NotFound, status);
        Assert.StartsWith("application/problem+json", contentType, StringComparison.Ordinal);
        Assert.Contains("api/nothing", problem.GetProperty("detail").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task GetTarget_Unknown_404ProblemDetails()
    {
        await using var app = await FunctionsHarness.StartAsync();
        var http = app.Function<HttpApi>();

        var get = AdminRequest(app, "GET", "/api/targets/nobody");
        var (status, contentType, problem) = await AnswerAsync(get, http.GetTargetAsync(get, "nobody", CancellationToken.None));

        Assert.Equal(StatusCodes.Status404NotFound, status);
        Assert.StartsWith("application/problem+json", contentType, StringComparison.Ordinal);
        Assert.Equal(404, problem.GetProperty("status").GetInt32());
    }

    [Fact]
    public async Task RequestProbe_QueuesOnTheQueueTheProbeTriggerReads()
    {
        await using var app = await FunctionsHarness.StartAsync();
        await app.AddTargetAsync("good", "good.smtp.test");
        var http = app.Function<HttpApi>();

        var post = AdminRequest(app, "POST", "/api/targets/good/probe");
        var (status, _, _) = await AnswerAsync(post, http.RequestProbeAsync(post, "good", CancellationToken.None));

        Assert.Equal(StatusCodes.Status202Accepted, status);
        var message = Assert.Single(await app.Get<ProbeQueue>().ReceiveAsync(32, TimeSpan.FromSeconds(30)));
        Assert.Equal("good", message.Message.TargetId);
        Assert.Equal(app.Get<IConfiguration>()[FunctionsSettings.ProbeQueueSetting], app.Get<ProbeQueue>().Name);
    }

    [Fact]
    public async Task TestNotifications_SendsTheTestThroughTheWebhook_AnswersPerChannel()
    {
        await using var app = await FunctionsHarness.StartAsync();
        var http = app.Function<HttpApi>();

        var post = AdminRequest(app, "POST", "/api/notifications/test");
        var (status, _, answer) = await AnswerAsync(post, http.TestNotificationsAsync(post, CancellationToken.None));
        var unknown = AdminRequest(app, "POST", "/api/notifications/test");
        unknown.QueryString = new QueryString("?channel=nope");
        var (notFound, _, _) = await AnswerAsync(unknown, http.TestNotificationsAsync(unknown, CancellationToken.None));

        Assert.Equal(StatusCodes.Status200OK, status);
        var ops = Assert.Single(answer.GetProperty("channels").EnumerateArray().ToList());
        Assert.Equal(("ops", "delivered"), (ops.GetProperty("name").GetString(), ops.GetProperty("outcome").GetString()));
        var request = Assert.Single(app.Webhook.Requests);
        Assert.Equal(ops.GetProperty("notificationId").GetString(), request.Header("X-MailHealth-Delivery"));
        Assert.Contains("\"kind\":\"test\"", request.BodyText, StringComparison.Ordinal);
        Assert.Equal(StatusCodes.Status404NotFound, notFound);
    }

    [Fact]
    public async Task GetHealthDetail_AfterTheSchedule_Ok()
    {
        await using var app = await FunctionsHarness.StartAsync();
        await app.Function<ScheduleProbes>().RunAsync(new TimerInfo(), CancellationToken.None);
        var http = app.Function<HttpApi>();

        var get = AdminRequest(app, "GET", "/api/health/detail");
        var (status, _, health) = await AnswerAsync(get, http.GetHealthDetailAsync(get, CancellationToken.None));

        Assert.Equal(StatusCodes.Status200OK, status);
        Assert.Equal("ok", health.GetProperty("status").GetString());
    }
}
