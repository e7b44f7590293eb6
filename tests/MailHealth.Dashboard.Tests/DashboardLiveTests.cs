using MailHealth.Egress;
using MailHealth.Monitor.Api;
using MailHealth.Storage.Egress;
using Microsoft.Playwright;

namespace MailHealth.Dashboard.Tests;

/// <summary>
/// What the page does over time and when things go wrong: it refreshes by itself, shows the
/// port-25 egress banner when the monitor's own port 25 is blocked, and says so when the API fails.
/// Targets here are stored without runs (no check needed); the egress signals are stored as the
/// monitor's runs store them.
/// </summary>
public sealed class DashboardLiveTests(DashboardLiveTests.Fixture fixture) : IClassFixture<DashboardLiveTests.Fixture>, IAsyncLifetime
{
    private readonly List<string> _consoleErrors = [];
    private IPage? _page;

    private IPage Page => _page ?? throw new InvalidOperationException("no page");

    public async Task InitializeAsync() => _page = await DashboardBrowser.NewPageAsync(fixture.Browser, _consoleErrors);

    public async Task DisposeAsync()
    {
        if (_page is not null)
        {
            await _page.Context.CloseAsync();
        }
    }

    [Fact]
    public async Task EgressBlocked_ShowsTheBanner_AndTargetsNotRunYetSayNoData()
    {
        await DashboardBrowser.SignInAsync(Page, fixture.Host.Address, DashboardHost.ReadKey);
        var banner = Page.Locator("[data-testid=egress-banner]");
        await banner.WaitForAsync();
        Assert.Contains("Outbound port 25 is blocked", await banner.InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal("no data", await Page.Locator("tr[data-target='alpha'] td[data-cell=status] .badge-text").InnerTextAsync());
        Assert.Equal("never", await Page.Locator("tr[data-target='alpha'] td[data-cell=last-run]").InnerTextAsync());
        Assert.Equal("0 open alerts", await Page.Locator("[data-testid=open-alerts]").InnerTextAsync());
        await Page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(DashboardBrowser.ArtifactsDirectory, "egress-blocked.png") });
        Assert.Empty(_consoleErrors);
    }

    [Fact]
    public async Task Page_RefreshesByItself_WithoutReloading()
    {
        await Page.Clock.InstallAsync();
        await DashboardBrowser.SignInAsync(Page, fixture.Host.Address, DashboardHost.ReadKey);
        await Page.EvaluateAsync("() => { window.notReloaded = true; }");
        Assert.Equal(0, await Page.Locator("tr[data-target='late']").CountAsync());

        // Added through the API, as a person adds one: the monitor that wrote it answers with it at once.
        using var admin = new HttpClient { BaseAddress = fixture.Host.Address };
        admin.DefaultRequestHeaders.Add(ApiKeys.Header, DashboardHost.AdminKey);
        using var put = await admin.PutAsync(new Uri("api/targets/late", UriKind.Relative), new StringContent("""{"domain":"late.example","ports":[25]}""", System.Text.Encoding.UTF8, "application/json"));
        Assert.Equal(System.Net.HttpStatusCode.Created, put.StatusCode);
        await Page.Clock.RunForAsync(31_000);
        await Page.Locator("tr[data-target='late']").WaitForAsync();
        Assert.True(await Page.EvaluateAsync<bool>("() => window.notReloaded === true"));
    }

    [Fact]
    public async Task Refresh_WhereNothingChanged_IsAnsweredWithNotModified()
    {
        await Page.Clock.InstallAsync();
        await DashboardBrowser.SignInAsync(Page, fixture.Host.Address, DashboardHost.ReadKey);
        await Page.Locator("tr[data-target='alpha']").WaitForAsync();

        // The browser asks again with the ETags it kept; the monitor answers 304 (the browser
        // reports the copy it kept as a 200 to the page, so the host's log of what it sent says it).
        string[] lists = ["/api/targets?limit=200", "/api/alerts?state=open&limit=1000", "/api/status?limit=200"];
        var refreshed = lists.Select(list => Page.WaitForResponseAsync(r => r.Url.EndsWith(list, StringComparison.Ordinal))).ToList();
        fixture.Host.Answers.Clear();
        await Page.Clock.RunForAsync(31_000);
        foreach (var response in refreshed)
        {
            var sent = await (await response).Request.AllHeadersAsync();
            Assert.True(sent.ContainsKey("if-none-match"), $"{(await response).Url}: no If-None-Match");
        }

        var answers = fixture.Host.Answers.ToList();
        foreach (var list in lists)
        {
            Assert.Contains((list, 304), answers);
        }

        Assert.Equal(1, await Page.Locator("tr[data-target='alpha']").CountAsync());
        Assert.Empty(_consoleErrors);
    }

    [Fact]
    public async Task ApiFailure_ShowsAnErrorMessage_NotABlankPage()
    {
        // A second monitor on storage whose tables do not exist: every read answers 503.
        await using var broken = await DashboardHost.StartAsync(createStorage: false);
        var probe = await broken.Read.GetAsync("/api/targets");
        Assert.Equal(System.Net.HttpStatusCode.ServiceUnavailable, probe.StatusCode);

        await Page.AddInitScriptAsync($"sessionStorage.setItem('mailhealth.key', '{DashboardHost.ReadKey}')");
        await Page.GotoAsync(broken.Address.ToString());
        var error = Page.Locator("#error");
        await Assertions.Expect(error).ToBeVisibleAsync();
        var text = await error.InnerTextAsync();
        Assert.Contains("Could not load the fleet", text, StringComparison.Ordinal);
        Assert.Contains("503", text, StringComparison.Ordinal);
        Assert.Equal("alert", await error.GetAttributeAsync("role"));
        Assert.Contains("No data could be loaded yet", await Page.Locator("main").InnerTextAsync(), StringComparison.Ordinal);
        await Page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(DashboardBrowser.ArtifactsDirectory, "api-failure.png") });
    }

    [Fact]
    public async Task HostStopped_ThePageSaysTheMonitorCannotBeReached_AndKeepsWhatItShowed()
    {
        await using var host = await DashboardHost.StartAsync();
        await host.AddTargetAsync("solo", "solo.example", "25");
        await Page.Clock.InstallAsync();
        await DashboardBrowser.SignInAsync(Page, host.Address, DashboardHost.ReadKey);
        await host.StopAsync();

        await Page.Clock.RunForAsync(31_000);
        var error = Page.Locator("#error");
        await Assertions.Expect(error).ToBeVisibleAsync();
        Assert.Contains("could not be reached", await error.InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal(1, await Page.Locator("tr[data-target='solo']").CountAsync());
    }

    /// <summary>A host with two targets that were never run and the port-25 signature of a blocked egress stored; one browser.</summary>
    public sealed class Fixture : IAsyncLifetime
    {
        private DashboardHost? _host;
        private IPlaywright? _playwright;
        private IBrowser? _browser;

        public DashboardHost Host => _host ?? throw new InvalidOperationException("not started");

        public IBrowser Browser => _browser ?? throw new InvalidOperationException("not started");

        public async Task InitializeAsync()
        {
            _host = await DashboardHost.StartAsync();
            await _host.AddTargetAsync("alpha", "alpha.example", "25,587");
            await _host.AddTargetAsync("beta", "beta.example", "25,587");
            var egress = _host.Get<EgressSignalStore>();
            foreach (var id in new[] { "alpha", "beta" })
            {
                await egress.RecordAndReadAsync(id, [new PortProbeSignal(id, $"smtp:mx.{id}.example:25", 25, TimedOut: true, Connected: false), new PortProbeSignal(id, $"smtp:mx.{id}.example:587", 587, TimedOut: false, Connected: true)], CancellationToken.None);
            }

            (_playwright, _browser) = await DashboardBrowser.LaunchAsync();
        }

        public Task DisposeAsync() => DashboardBrowser.CloseAsync(_playwright, _browser, _host);
    }
}
