using System.Text;
using System.Text.Json;
using MailHealth.Functions.Triggers;
using MailHealth.Storage.Queues;
using MailHealth.Storage.Targets;
using Microsoft.AspNetCore.Http;
using Microsoft.Azure.Functions.Worker;
using Microsoft.Extensions.Configuration;

namespace MailHealth.Functions.Tests;

/// <summary>
/// The HTTP functions invoked as the worker's ASP.NET Core integration does: the request's
/// HttpContext in, the returned IResult executed on it; real handlers on Azurite.
/// </summary>
public sealed class HttpFunctionTests
{
    private static HttpRequest Request(FunctionsHarness app, string method, string path, string? body = null)
    {
        var context = new DefaultHttpContext { RequestServices = app.Services };
        context.Request.Method = method;
        context.Request.Path = path;
        if (body is not null)
        {
            var bytes = Encoding.UTF8.GetBytes(body);
            context.Request.ContentType = "application/json";
            context.Request.ContentLength = bytes.Length;
            context.Request.Body = new MemoryStream(bytes);
        }

        context.Response.Body = new MemoryStream();
        return context.Request;
    }

    private static async Task<(int Status, string ContentType, JsonElement Body)> AnswerAsync(HttpRequest request, Task<IResult> function)
    {
        var context = request.HttpContext;
        await (await function).ExecuteAsync(context);
        context.Response.Body.Position = 0;
        using var document = await JsonDocument.ParseAsync(context.Response.Body);
        return (context.Response.StatusCode, context.Response.ContentType ?? "", document.RootElement.Clone());
    }

    [Fact]
    public async Task PutThenGetTarget_StoresAndAnswersTheTarget()
    {
        await using var app = await FunctionsHarness.StartAsync();
        var http = app.Function<HttpApi>();

        var put = Request(app, "PUT", "/api/targets/shop", """{"domain":"shop.example","ports":[25]}""");
        var (created, _, _) = await AnswerAsync(put, http.PutTargetAsync(put, "shop", CancellationToken.None));
        var get = Request(app, "GET", "/api/targets/shop");
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

        var get = Request(app, "GET", "/api/targets/nobody");
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

        var post = Request(app, "POST", "/api/targets/good/probe");
        var (status, _, _) = await AnswerAsync(post, http.RequestProbeAsync(post, "good", CancellationToken.None));

        Assert.Equal(StatusCodes.Status202Accepted, status);
        var message = Assert.Single(await app.Get<ProbeQueue>().ReceiveAsync(32, TimeSpan.FromSeconds(30)));
        Assert.Equal("good", message.Message.TargetId);
        Assert.Equal(app.Get<IConfiguration>()[FunctionsSettings.ProbeQueueSetting], app.Get<ProbeQueue>().Name);
    }

    [Fact]
    public async Task GetHealthDetail_AfterTheSchedule_Ok()
    {
        await using var app = await FunctionsHarness.StartAsync();
        await app.Function<ScheduleProbes>().RunAsync(new TimerInfo(), CancellationToken.None);
        var http = app.Function<HttpApi>();

        var get = Request(app, "GET", "/api/health/detail");
        var (status, _, health) = await AnswerAsync(get, http.GetHealthDetailAsync(get, CancellationToken.None));

        Assert.Equal(StatusCodes.Status200OK, status);
        Assert.Equal("ok", health.GetProperty("status").GetString());
    }
}
