using System.Net;

namespace MailHealth.Cli.Tests.Serve;

/// <summary>serve answers the dashboard at <c>/</c> beside the API and the metrics, without a key (the page asks for one).</summary>
public sealed class ServeDashboardTests
{
    [Fact]
    public async Task Root_IsTheDashboard_AndItsAssetsAreServed_WhileTheApiStillNeedsItsKey()
    {
        await using var serve = await ServeHarness.StartAsync("""[ { "id": "shop", "domain": "demo.test" } ]""");

        using var page = await serve.Http.GetAsync(new Uri("/", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, page.StatusCode);
        Assert.Equal("text/html", page.Content.Headers.ContentType?.MediaType);
        Assert.Contains("<script type=\"module\" src=\"app.js\"></script>", await page.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        Assert.Contains("script-src 'self'", page.Headers.GetValues("Content-Security-Policy").Single(), StringComparison.Ordinal);

        foreach (var asset in new[] { "app.js", "styles.css", "uPlot.esm.js", "findings.json" })
        {
            using var response = await serve.Http.GetAsync(new Uri("/" + asset, UriKind.Relative));
            Assert.Equal(HttpStatusCode.OK, response.StatusCode);
            Assert.NotNull(response.Headers.ETag);
        }

        using var api = await serve.Http.GetAsync(new Uri("/api/targets", UriKind.Relative));
        Assert.Equal(HttpStatusCode.Unauthorized, api.StatusCode);
        using var metrics = await serve.Http.GetAsync(new Uri("/metrics", UriKind.Relative));
        Assert.Equal(HttpStatusCode.OK, metrics.StatusCode);
        using var unknown = await serve.Http.GetAsync(new Uri("/no-such-page", UriKind.Relative));
        Assert.Equal(HttpStatusCode.NotFound, unknown.StatusCode);
    }
}
