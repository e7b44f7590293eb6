using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using MailHealth.Monitor.Dashboard;
using MailHealth.Monitor.Findings;
using Microsoft.AspNetCore.Builder;
using Microsoft.AspNetCore.Hosting;
using Microsoft.AspNetCore.Http;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;

namespace MailHealth.Dashboard.Tests;

/// <summary>The dashboard's files as any host serves them: content types, ETags and 304s, the fix texts from docs/findings.md.</summary>
public sealed class DashboardFilesTests(DashboardFilesTests.Fixture fixture) : IClassFixture<DashboardFilesTests.Fixture>
{
    private HttpClient Client => fixture.Client;

    [Fact]
    public async Task Root_AnswersThePage_WithAPolicyKeepingItToItsOrigin()
    {
        var response = await Client.GetAsync("/");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal("text/html", response.Content.Headers.ContentType?.MediaType);
        var html = await response.Content.ReadAsStringAsync();
        Assert.Contains("<script type=\"module\" src=\"app.js\"></script>", html, StringComparison.Ordinal);
        var policy = response.Headers.GetValues("Content-Security-Policy").Single();
        Assert.Contains("script-src 'self'", policy, StringComparison.Ordinal);
        Assert.Contains("connect-src 'self'", policy, StringComparison.Ordinal);
        Assert.Equal("no-cache", response.Headers.CacheControl?.ToString());
        Assert.Equal("nosniff", response.Headers.GetValues("X-Content-Type-Options").Single());

        // Asset URLs are relative: the page works at / and under any prefix.
        Assert.DoesNotContain("src=\"/", html, StringComparison.Ordinal);
        Assert.DoesNotContain("href=\"/", html, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("app.js", "text/javascript")]
    [InlineData("styles.css", "text/css")]
    [InlineData("uPlot.esm.js", "text/javascript")]
    [InlineData("uPlot.min.css", "text/css")]
    [InlineData("findings.json", "application/json")]
    public async Task EveryAsset_IsServedWithItsTypeAndAnETag_And304WhenUnchanged(string path, string type)
    {
        var response = await Client.GetAsync("/" + path);
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        Assert.Equal(type, response.Content.Headers.ContentType?.MediaType);
        var etag = response.Headers.ETag;
        Assert.NotNull(etag);
        Assert.Equal(DashboardFiles.Default.Find(path)!.ETag, etag.Tag);
        Assert.Equal(DashboardFiles.Default.Find(path)!.Content.Length, (await response.Content.ReadAsByteArrayAsync()).Length);

        using var again = new HttpRequestMessage(HttpMethod.Get, "/" + path);
        again.Headers.IfNoneMatch.Add(etag);
        var unchanged = await Client.SendAsync(again);
        Assert.Equal(HttpStatusCode.NotModified, unchanged.StatusCode);
        Assert.Empty(await unchanged.Content.ReadAsByteArrayAsync());

        using var stale = new HttpRequestMessage(HttpMethod.Get, "/" + path);
        stale.Headers.IfNoneMatch.Add(new EntityTagHeaderValue("\"something-else\""));
        Assert.Equal(HttpStatusCode.OK, (await Client.SendAsync(stale)).StatusCode);
    }

    [Fact]
    public async Task UPlot_ComesFromThePackageLock_NotFromAnywhereElse()
    {
        var script = await Client.GetStringAsync("/uPlot.esm.js");
        Assert.Contains("export { uPlot as default }", script, StringComparison.Ordinal);
        var lockFile = JsonDocument.Parse(File.ReadAllText(Path.Combine(Testing.Peers.RepoRoot, "src", "MailHealth.Monitor", "Dashboard", "package-lock.json")));
        var version = lockFile.RootElement.GetProperty("packages").GetProperty("node_modules/uplot").GetProperty("version").GetString();
        var installed = JsonDocument.Parse(File.ReadAllText(Path.Combine(Testing.Peers.RepoRoot, "src", "MailHealth.Monitor", "Dashboard", "node_modules", "uplot", "package.json")));
        Assert.Equal(version, installed.RootElement.GetProperty("version").GetString());
    }

    [Fact]
    public async Task UnknownFiles_Are404_AndNothingOutsideTheListIsServed()
    {
        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetAsync("/nothing.js")).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetAsync("/" + FindingFixes.Resource)).StatusCode);
        Assert.Equal(HttpStatusCode.NotFound, (await Client.GetAsync("/..%2Fappsettings.json")).StatusCode);
        Assert.Null(DashboardFiles.Default.Find("../index.html"));
        Assert.Equal(DashboardFiles.IndexPath, DashboardFiles.Default.Find("/")!.Path);
        Assert.Equal(DashboardFiles.IndexPath, DashboardFiles.Default.Find(null)!.Path);
    }

    [Fact]
    public async Task UnderAPrefix_TheRootWithoutItsSlashIsRedirected_SoRelativeUrlsResolve()
    {
        var context = new DefaultHttpContext();
        context.Request.PathBase = "/api";
        context.Request.Path = "/dashboard";
        context.Request.QueryString = new QueryString("?x=1");
        context.Response.Body = new MemoryStream();
        context.RequestServices = new ServiceCollection().AddLogging().BuildServiceProvider();
        var result = await DashboardFiles.Default.GetAsync(string.Empty, context.Request, CancellationToken.None);
        await result.ExecuteAsync(context);
        Assert.Equal(StatusCodes.Status302Found, context.Response.StatusCode);
        Assert.Equal("/api/dashboard/?x=1", context.Response.Headers.Location.ToString());

        context.Request.Path = "/dashboard/";
        context.Response.Body = new MemoryStream();
        var page = await DashboardFiles.Default.GetAsync(string.Empty, context.Request, CancellationToken.None);
        await page.ExecuteAsync(context);
        Assert.Equal(StatusCodes.Status200OK, context.Response.StatusCode);
        Assert.Equal(DashboardFiles.Default.Find(DashboardFiles.IndexPath)!.Content.Length, context.Response.Body.Length);
    }

    [Fact]
    public async Task FindingsJson_HasTheFixTextOfEveryCodeInDocsFindingsMd()
    {
        var served = JsonSerializer.Deserialize<Dictionary<string, string>>(await Client.GetStringAsync("/findings.json"))!;
        var lines = File.ReadAllLines(Path.Combine(Testing.Peers.RepoRoot, "docs", "findings.md"));
        var documented = lines.Where(l => System.Text.RegularExpressions.Regex.IsMatch(l, "^\\| [A-Z][A-Z0-9]*(_[A-Z0-9]+)+ \\|")).ToList();
        Assert.True(documented.Count > 80);
        foreach (var line in documented)
        {
            var code = line.Split('|', StringSplitOptions.TrimEntries)[1];
            Assert.True(served.ContainsKey(code), $"{code} has no fix text");
        }

        Assert.Equal(
            "Renew the certificate and reload the server.",
            served["TLS_CERT_EXPIRED"]);
        // "DNS_TIMEOUT / DNS_SERVFAIL" in a later table does not replace the first, general text.
        Assert.StartsWith("Usually transient.", served["DNS_TIMEOUT"], StringComparison.Ordinal);
        Assert.StartsWith("Check your zone", served["DNS_SERVFAIL"], StringComparison.Ordinal);
    }

    [Fact]
    public void Parser_ReadsOnlyCodeTables_SplitsCodeLists_KeepsTheFirstText_AndEscapedPipes()
    {
        var fixes = FindingFixes.Parse("""
            # Codes

            | code | severity | meaning | how to fix |
            |---|---|---|---|
            | ONE_CODE | warning | a thing | do `this` \| that |
            | TWO_A / TWO_B | info | both | the same fix |
            | not a code | info | x | ignored |

            | zone | kind | return codes |
            |---|---|---|
            | ZONE_LIKE_THING | ip | not a fix |

            | code | severity | meaning | how to fix |
            |---|---|---|---|
            | ONE_CODE | critical | again | a second text |
            """);
        Assert.Equal(["ONE_CODE", "TWO_A", "TWO_B"], fixes.Keys);
        Assert.Equal("do `this` | that", fixes["ONE_CODE"]);
        Assert.Equal("the same fix", fixes["TWO_B"]);
    }

    /// <summary>The dashboard mapped on Kestrel, without storage (the files need none).</summary>
    public sealed class Fixture : IAsyncLifetime
    {
        private WebApplication? _app;

        public HttpClient Client { get; private set; } = null!;

        public async Task InitializeAsync()
        {
            var builder = WebApplication.CreateSlimBuilder();
            builder.WebHost.UseUrls("http://127.0.0.1:0");
            builder.Logging.ClearProviders();
            _app = builder.Build();
            _app.MapMailHealthDashboard();
            await _app.StartAsync();
            Client = new HttpClient { BaseAddress = new Uri(_app.Urls.Single()) };
        }

        public async Task DisposeAsync()
        {
            Client.Dispose();
            if (_app is not null)
            {
                await _app.DisposeAsync();
            }
        }
    }
}
