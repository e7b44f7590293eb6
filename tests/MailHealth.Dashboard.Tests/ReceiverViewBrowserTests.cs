using System.Globalization;
using System.Net.Http.Json;
using System.Text.Json;
using Microsoft.Playwright;

namespace MailHealth.Dashboard.Tests;

/// <summary>
/// "As receivers see it" in headless Chromium (issue 16, item 6): the fleet's DMARC pass column,
/// the target view's pass share and volume chart, its sources table (unknown senders first,
/// sortable) and its TLS failures by result type, against reports imported into Azurite first;
/// and the empty states of a target no report arrived for. Screenshots go to artifacts/dashboard.
/// </summary>
public sealed class ReceiverViewBrowserTests(ReportedDashboard reported) : IClassFixture<ReportedDashboard>, IAsyncLifetime
{
    private readonly List<string> _consoleErrors = [];
    private IPage? _page;

    private IPage Page => _page ?? throw new InvalidOperationException("no page");

    private DashboardHost Host => reported.Host;

    public async Task InitializeAsync() => _page = await DashboardBrowser.NewPageAsync(reported.Browser, _consoleErrors);

    public async Task DisposeAsync()
    {
        if (_page is not null)
        {
            await _page.Context.CloseAsync();
        }
    }

    [Fact]
    public async Task FleetView_ShowsEachTargetsDmarcPassShare_FromTheApi()
    {
        await DashboardBrowser.SignInAsync(Page, Host.Address, DashboardHost.ReadKey);
        var fleet = await GetJsonAsync("/api/dmarc");
        var summary = fleet.GetProperty("items").EnumerateArray().Single(i => i.GetProperty("targetId").GetString() == "reported").GetProperty("dmarc");
        var share = summary.GetProperty("passShare").GetDouble();

        var cell = Page.Locator("tr[data-target='reported'] td[data-cell='dmarc-pass']");
        Assert.Equal(share, double.Parse((await cell.GetAttributeAsync("data-share"))!, CultureInfo.InvariantCulture));
        Assert.Contains($"{share * 100:0.0}%", await cell.InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal(share >= 0.98 ? "pass" : share >= 0.9 ? "warn" : "fail", await cell.GetAttributeAsync("data-status"));
        Assert.Contains("messages passed DMARC", await cell.GetAttributeAsync("title") ?? "", StringComparison.Ordinal);

        var quiet = Page.Locator("tr[data-target='quiet'] td[data-cell='dmarc-pass']");
        Assert.Null(await quiet.GetAttributeAsync("data-share"));
        Assert.Equal("no reports", await quiet.Locator(".sr-only").InnerTextAsync());

        await Page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(DashboardBrowser.ArtifactsDirectory, "fleet-dmarc.png"), FullPage = true });
        Assert.Empty(_consoleErrors);
    }

    [Fact]
    public async Task TargetView_ChartsPassShareAndVolume_ListsSourcesUnknownFirst_AndSortsThem()
    {
        await DashboardBrowser.SignInAsync(Page, Host.Address, DashboardHost.ReadKey);
        await Page.GotoAsync(new Uri(Host.Address, "#/target/reported").ToString());
        var rows = Page.Locator("[data-testid=sources-table] tbody tr");
        await rows.First.WaitForAsync();

        var dmarc = await GetJsonAsync("/api/targets/reported/dmarc?limit=1");
        Assert.Equal(ReportedDashboard.Days, dmarc.GetProperty("days").GetArrayLength());
        var chart = Page.Locator("figure[data-chart=dmarc]");
        Assert.Equal(1, await chart.Locator("canvas").CountAsync());
        Assert.Equal(["passed DMARC", "messages"], (await chart.Locator(".u-legend .u-series .u-label").AllInnerTextsAsync()).Skip(1).OrderDescending());
        Assert.Equal(ReportedDashboard.Days, await Page.Locator("[data-testid=dmarc-days] tbody tr").CountAsync());

        // The sources as the API lists them: no name is known yet, so every one is unknown, most messages first.
        var sources = (await GetJsonAsync("/api/targets/reported/dmarc/sources")).GetProperty("sources").EnumerateArray().ToList();
        Assert.Equal(sources.Count, await rows.CountAsync());
        Assert.Equal(sources.Select(s => s.GetProperty("sourceIp").GetString()), await SourceOrderAsync());
        Assert.All(await rows.EvaluateAllAsync<string[]>("rs => rs.map(r => r.dataset.unknown)"), u => Assert.Equal("true", u));
        Assert.Equal($"{sources.Count} unknown", await Page.Locator("[data-testid=unknown-count]").InnerTextAsync());

        // Sorted by messages: most first on the first click, fewest on the second; the heading says which.
        var byMessages = sources.OrderByDescending(s => s.GetProperty("messages").GetDouble()).ThenBy(s => s.GetProperty("sourceIp").GetString(), StringComparer.Ordinal).Select(s => s.GetProperty("sourceIp").GetString()).ToList();
        // The messages column as the rows show it now.
        Task<double[]> MessagesShownAsync() => rows.EvaluateAllAsync<double[]>("rs => rs.map(r => Number(r.children[4].textContent.replace(/,/g, '')))");
        await Page.Locator("[data-sort=messages]").ClickAsync();
        Assert.Equal("descending", await Page.Locator("th:has([data-sort=messages])").GetAttributeAsync("aria-sort"));
        var messages = await MessagesShownAsync();
        Assert.Equal(messages.OrderDescending(), messages);
        await Page.Locator("[data-sort=messages]").ClickAsync();
        Assert.Equal("ascending", await Page.Locator("th:has([data-sort=messages])").GetAttributeAsync("aria-sort"));
        messages = await MessagesShownAsync();
        Assert.Equal(messages.Order(), messages);
        Assert.Equal(byMessages.Count, messages.Length);
        // The focus stays on the heading's button, for the keyboard.
        Assert.Equal("messages", await Page.EvaluateAsync<string>("() => document.activeElement?.dataset.sort"));

        await Page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(DashboardBrowser.ArtifactsDirectory, "target-reported.png"), FullPage = true });
        Assert.Empty(_consoleErrors);
    }

    [Fact]
    public async Task TargetView_ChartsTlsFailuresByResultType()
    {
        await DashboardBrowser.SignInAsync(Page, Host.Address, DashboardHost.ReadKey);
        await Page.GotoAsync(new Uri(Host.Address, "#/target/reported").ToString());
        var table = Page.Locator("[data-testid=tls-table]");
        await table.WaitForAsync();

        var tls = await GetJsonAsync("/api/targets/reported/tls-reports");
        var types = tls.GetProperty("days").EnumerateArray().SelectMany(d => d.GetProperty("results").EnumerateArray())
            .Where(r => r.TryGetProperty("resultType", out _)).Select(r => r.GetProperty("resultType").GetString()).Distinct().Order(StringComparer.Ordinal).ToList();
        Assert.Equal(["certificate-expired", "validation-failure"], types);
        var legend = await Page.Locator("figure[data-chart=tls] .u-legend .u-series .u-label").AllInnerTextsAsync();
        Assert.Equal(types, legend.Skip(1));
        var expired = table.Locator("tr[data-result='certificate-expired']");
        Assert.Contains("mx2.reported.example", await expired.InnerTextAsync(), StringComparison.Ordinal);
        // Google's report says 12 failed sessions a day, on each of the days.
        Assert.Contains((12 * ReportedDashboard.Days).ToString(CultureInfo.InvariantCulture), await expired.Locator("td.num").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Empty(_consoleErrors);
    }

    [Fact]
    public async Task TargetWithoutReports_SaysSoInEachPart()
    {
        await DashboardBrowser.SignInAsync(Page, Host.Address, DashboardHost.ReadKey);
        await Page.GotoAsync(new Uri(Host.Address, "#/target/quiet").ToString());
        await Page.Locator("[data-testid=dmarc-empty]").WaitForAsync();

        Assert.Contains("No DMARC aggregate report arrived", await Page.Locator("[data-testid=dmarc-empty]").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Contains("No source appears", await Page.Locator("[data-testid=sources-empty]").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Contains("No SMTP TLS report arrived", await Page.Locator("[data-testid=tls-empty]").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal(0, await Page.Locator("figure[data-chart=dmarc], figure[data-chart=tls]").CountAsync());

        await Page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(DashboardBrowser.ArtifactsDirectory, "target-quiet.png"), FullPage = true });
        Assert.Empty(_consoleErrors);
    }

    private Task<string[]> SourceOrderAsync() =>
        Page.Locator("[data-testid=sources-table] tbody tr").EvaluateAllAsync<string[]>("rs => rs.map(r => r.dataset.source)");

    private async Task<JsonElement> GetJsonAsync(string path) =>
        await Host.Read.GetFromJsonAsync<JsonElement>(path);
}
