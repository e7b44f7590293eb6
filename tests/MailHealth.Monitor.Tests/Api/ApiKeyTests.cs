using System.Net;
using System.Text;
using MailHealth.Monitor.Api;
using MailHealth.Storage.Queues;
using MailHealth.Storage.Targets;

namespace MailHealth.Monitor.Tests.Api;

/// <summary>The application's keys, as both hosts check them (ApiAuthorization): reads need a key, writes an admin key; a refused request changes nothing and never echoes a key.</summary>
public sealed class ApiKeyTests(ApiHostFixture fixture) : IClassFixture<ApiHostFixture>
{
    public static TheoryData<string, string> Writes => new()
    {
        { "PUT", "/api/targets/shop" },
        { "DELETE", "/api/targets/shop" },
        { "POST", "/api/targets/shop/probe" },
        { "POST", "/api/alerts/shop.TLS_CERT_EXPIRED.0123456789abcdef/ack" },
        { "POST", "/api/notifications/test" },
    };

    public static TheoryData<string> Reads => new()
    {
        "/api/targets", "/api/targets/shop", "/api/targets/shop/status", "/api/targets/shop/history",
        "/api/targets/shop/report", "/api/alerts", "/api/events", "/api/status",
    };

    [Theory]
    [MemberData(nameof(Reads))]
    public async Task Read_WithoutKeyOrWithAWrongOne_Is401(string path)
    {
        var api = fixture.Api;
        await ApiAssert.ProblemAsync(await api.Client.GetAsync(path), HttpStatusCode.Unauthorized);

        using var wrong = new HttpRequestMessage(HttpMethod.Get, path);
        wrong.Headers.Add(ApiKeys.Header, "not-the-key-0123456789");
        var problem = await ApiAssert.ProblemAsync(await api.Client.SendAsync(wrong), HttpStatusCode.Unauthorized);
        Assert.DoesNotContain("not-the-key", problem.ToString(), StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Writes))]
    public async Task Write_WithAReadKey_Is403_WithoutKey401_AndChangesNothing(string method, string path)
    {
        var api = fixture.Api;
        var body = method == "PUT" ? """{"domain":"changed.example"}""" : null;

        await ApiAssert.ProblemAsync(await api.Read.SendAsync(Request(method, path, body)), HttpStatusCode.Forbidden);
        await ApiAssert.ProblemAsync(await api.Client.SendAsync(Request(method, path, body)), HttpStatusCode.Unauthorized);
        await ApiAssert.ProblemAsync(await api.Client.SendAsync(Request(method, path + "?code=" + ApiHost.ReadKey, body)), HttpStatusCode.Forbidden);

        var shop = await api.Get<TargetStore>().GetAsync("shop");
        Assert.Equal("shop.example", shop!.Target.Domain);
        Assert.Equal(0, (await api.Get<ProbeQueue>().GetDepthAsync()).Messages);
        Assert.Empty(api.Webhook.Requests);
    }

    [Fact]
    public async Task Keys_InTheCodeParameter_Work_AndHealthAndOpenApiAreAnonymous()
    {
        var api = fixture.Api;
        Assert.Equal(HttpStatusCode.OK, (await api.Client.GetAsync("/api/targets?code=" + ApiHost.ReadKey)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await api.Client.GetAsync("/api/targets/shop?code=" + ApiHost.AdminKey)).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await api.Client.GetAsync("/api/health")).StatusCode);
        Assert.Equal(HttpStatusCode.OK, (await api.Client.GetAsync("/api/openapi.json")).StatusCode);
    }

    private static HttpRequestMessage Request(string method, string path, string? body)
    {
        var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        return request;
    }
}
