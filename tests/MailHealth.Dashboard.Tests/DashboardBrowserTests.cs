using System.Net.Http.Json;
using System.Text.Json;
using MailHealth.Storage.Alerts;
using Microsoft.Playwright;

namespace MailHealth.Dashboard.Tests;

/// <summary>The dashboard in headless Chromium against a monitor whose history was made by real runs against the peers.</summary>
public sealed class DashboardBrowserTests(SeededDashboard seeded) : IClassFixture<SeededDashboard>, IAsyncLifetime
{
    private static readonly Dictionary<string, int> Rank = new(StringComparer.Ordinal) { ["fail"] = 4, ["warn"] = 3, ["error"] = 2, ["pass"] = 1 };

    private readonly List<string> _consoleErrors = [];
    private IPage? _page;

    private IPage Page => _page ?? throw new InvalidOperationException("no page");

    private DashboardHost Host => seeded.Host;

    public async Task InitializeAsync() => _page = await DashboardBrowser.NewPageAsync(seeded.Browser, _consoleErrors);

    public async Task DisposeAsync()
    {
        if (_page is not null)
        {
            await _page.Context.CloseAsync();
        }
    }

    [Fact]
    public async Task FleetView_ShowsEachTargetsRealStatuses_CheckByCheck()
    {
        await DashboardBrowser.SignInAsync(Page, Host.Address, DashboardHost.ReadKey);

        foreach (var id in SeededDashboard.TargetIds)
        {
            var status = await GetJsonAsync($"/api/targets/{id}/status");
            var row = Page.Locator($"tr[data-target='{id}']");
            Assert.Equal(status.GetProperty("status").GetString(), await row.Locator("td[data-cell=status] .badge-text").InnerTextAsync());

            // Every check kind (SMTP per port) is a column whose cell shows the worst status of its checks.
            var expected = status.GetProperty("checks").EnumerateArray()
                .GroupBy(Column)
                .ToDictionary(g => g.Key, g => g.Select(c => c.GetProperty("status").GetString()!).MaxBy(s => Rank[s])!);
            Assert.NotEmpty(expected);
            foreach (var (column, worst) in expected)
            {
                var cell = row.Locator($"td[data-column='{column}']");
                Assert.Equal(worst, await cell.GetAttributeAsync("data-status"));
                Assert.Equal(worst, await cell.Locator(".badge-text").InnerTextAsync());
            }
        }

        // The broken target: its port-25 cell fails with the expired certificate as the worst finding, on hover and for screen readers.
        var expiredSmtp = Page.Locator("tr[data-target='expired'] td[data-column='smtp:25']");
        Assert.Equal("fail", await expiredSmtp.GetAttributeAsync("data-status"));
        Assert.Contains("TLS_CERT_EXPIRED", await expiredSmtp.GetAttributeAsync("title") ?? string.Empty, StringComparison.Ordinal);
        Assert.Contains("worst finding: critical TLS_CERT_EXPIRED", await expiredSmtp.Locator(".sr-only").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal("pass", await Page.Locator("tr[data-target='good'] td[data-column='smtp:465']").GetAttributeAsync("data-status"));
        Assert.Equal(3, await Page.Locator("tr[data-target='good'] td[data-column^='smtp:']").CountAsync());

        // Open alerts counted at the top, as the API counts them.
        var open = (await GetJsonAsync("/api/alerts?state=open")).GetProperty("items").GetArrayLength();
        Assert.True(open > 0);
        Assert.Equal($"{open} open alert{(open == 1 ? string.Empty : "s")}", await Page.Locator("[data-testid=open-alerts]").InnerTextAsync());

        // The last run time of each target.
        var lastRun = await Page.Locator("tr[data-target='good'] td[data-cell=last-run] time").GetAttributeAsync("datetime");
        Assert.Equal(seeded.Slots[^1], (await GetJsonAsync("/api/targets/good/status")).GetProperty("slot").GetDateTimeOffset());
        Assert.False(string.IsNullOrEmpty(lastRun));

        await Page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(DashboardBrowser.ArtifactsDirectory, "fleet.png"), FullPage = true });
        Assert.Empty(_consoleErrors);
    }

    [Fact]
    public async Task FleetView_FiltersByStatusAndTag()
    {
        await DashboardBrowser.SignInAsync(Page, Host.Address, DashboardHost.ReadKey);
        Assert.Equal(4, await Page.Locator("table.fleet tbody tr").CountAsync());

        await Page.Locator("#filter-tag").SelectOptionAsync("staging");
        Assert.Equal(["expiring15", "expiring3"], await RowsAsync());

        await Page.Locator("#filter-tag").SelectOptionAsync("all");
        await Page.Locator("#filter-status").SelectOptionAsync("fail");
        var failing = new List<string>();
        foreach (var id in SeededDashboard.TargetIds)
        {
            if ((await GetJsonAsync($"/api/targets/{id}/status")).GetProperty("status").GetString() == "fail")
            {
                failing.Add(id);
            }
        }

        Assert.Contains("expired", failing);
        Assert.Equal(failing, await RowsAsync());
        Assert.Contains($"Showing {failing.Count} of 4 targets", await Page.Locator("#fleet-shown").InnerTextAsync(), StringComparison.Ordinal);
    }

    [Fact]
    public async Task TargetView_TimelineHasOneMarkPerStoredRun_FindingsCarryTheirFixText_ChangesListed()
    {
        await DashboardBrowser.SignInAsync(Page, Host.Address, DashboardHost.ReadKey);
        await Page.Locator("tr[data-target='expired'] th a").ClickAsync();
        await Page.Locator(".beat-row").First.WaitForAsync();

        var history = (await GetJsonAsync("/api/targets/expired/history?limit=1000")).GetProperty("items").EnumerateArray().ToList();
        Assert.Equal(seeded.Slots.Count, history.Count);
        var runsPerCheck = history.SelectMany(r => r.GetProperty("checks").EnumerateArray().Select(c => c.GetProperty("id").GetString()!))
            .GroupBy(id => id).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(runsPerCheck.Count, await Page.Locator(".beat-row").CountAsync());
        foreach (var (checkId, runs) in runsPerCheck)
        {
            var marks = Page.Locator($".beat-row[data-check='{checkId}'] rect.mark");
            Assert.Equal(runs, await marks.CountAsync());
        }

        var smtp = runsPerCheck.Keys.Single(id => id.StartsWith("smtp:", StringComparison.Ordinal));
        var smtpMarks = Page.Locator($".beat-row[data-check='{smtp}'] rect.mark");
        Assert.Equal(3, await smtpMarks.CountAsync());
        Assert.Equal(["fail", "fail", "fail"], await smtpMarks.EvaluateAllAsync<string[]>("marks => marks.map(m => m.dataset.status)"));

        // The 7-day range holds the same runs; its button says it is the one pressed.
        var week = Page.Locator("button[data-range='7d']");
        await week.ClickAsync();
        await Assertions.Expect(week).ToHaveAttributeAsync("aria-pressed", "true");
        await Assertions.Expect(Page.Locator("[data-testid=run-count]")).ToContainTextAsync("in the last 7 d");
        Assert.Equal("false", await Page.Locator("button[data-range='24h']").GetAttributeAsync("aria-pressed"));
        Assert.Equal(3, await smtpMarks.CountAsync());
        Assert.EndsWith("#/target/expired?range=7d", Page.Url, StringComparison.Ordinal);

        // The latest run's findings, each with the fix text docs/findings.md gives its code.
        var fix = FixTextOf("TLS_CERT_EXPIRED");
        var finding = Page.Locator("#findings-body li[data-code='TLS_CERT_EXPIRED']").First;
        var shown = await finding.Locator(".fix").InnerTextAsync();
        Assert.Equal("How to fix: " + fix.Replace("`", string.Empty, StringComparison.Ordinal), shown);

        // The latency chart of the port-25 probe was drawn by uPlot.
        Assert.Equal(1, await Page.Locator($"figure[data-chart='latency:{smtp}'] canvas").CountAsync());

        await Page.Locator("a[href='#/']").First.ClickAsync();
        await Page.Locator("tr[data-target='good'] th a").ClickAsync();
        var change = Page.Locator("#events-body tr[data-event='dmarc']");
        await change.WaitForAsync();
        Assert.Contains("DMARC p=reject -> p=none", await change.InnerTextAsync(), StringComparison.Ordinal);
        Assert.Contains("v=DMARC1; p=none", await change.Locator(".after").InnerTextAsync(), StringComparison.Ordinal);
        Assert.Empty(_consoleErrors);
    }

    [Fact]
    public async Task CertificateChart_ShowsThePlantedExpiringCertificate_WithThe21And7DayThresholds()
    {
        await DashboardBrowser.SignInAsync(Page, Host.Address, DashboardHost.ReadKey);
        await Page.GotoAsync(new Uri(Host.Address, "#/target/expiring15").ToString());
        var row = Page.Locator("[data-testid=cert-table] tr[data-cert^='smtp:']");
        await row.WaitForAsync();

        var status = await GetJsonAsync("/api/targets/expiring15/status");
        var smtp = status.GetProperty("checks").EnumerateArray().Single(c => c.GetProperty("kind").GetString() == "smtp");
        var days = smtp.GetProperty("metrics").GetProperty("certDaysLeft").GetInt32();
        Assert.InRange(days, 8, 15); // planted 15 days out when the peers made it; between the thresholds
        Assert.Equal(days.ToString(System.Globalization.CultureInfo.InvariantCulture), await row.GetAttributeAsync("data-days"));
        Assert.Contains($"{days} days left", await row.InnerTextAsync(), StringComparison.Ordinal);
        Assert.Equal("warn", await row.Locator(".badge").GetAttributeAsync("data-status"));

        var chart = Page.Locator("figure[data-chart=certificates]");
        Assert.Equal(1, await chart.Locator("canvas").CountAsync());
        var legend = await chart.Locator(".u-legend .u-series .u-label").AllInnerTextsAsync();
        Assert.Contains(smtp.GetProperty("subject").GetString(), legend);
        Assert.Contains("warning (21 d)", legend);
        Assert.Contains("critical (7 d)", legend);

        // uPlot holds the series it drew: one point per run at the certificate's days left.
        var drawn = await Page.EvaluateAsync<int>("() => document.querySelectorAll('figure[data-chart=certificates] .u-over').length");
        Assert.Equal(1, drawn);

        await Page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(DashboardBrowser.ArtifactsDirectory, "target-expiring15.png"), FullPage = true });
        Assert.Empty(_consoleErrors);
    }

    [Fact]
    public async Task Acknowledge_WithAReadKeyIsRefusedAndSaysWhy_WithTheAdminKeyChangesStorageAndPage()
    {
        var alerts = (await GetJsonAsync("/api/alerts?target=expired")).GetProperty("items").EnumerateArray();
        var alertId = alerts.Single(a => a.GetProperty("key").GetProperty("code").GetString() == "TLS_CERT_EXPIRED").GetProperty("id").GetString()!;
        var store = Host.Get<AlertStore>();
        Assert.Null((await store.FindAsync(alertId))!.Alert.AcknowledgedAt);

        await DashboardBrowser.SignInAsync(Page, Host.Address, DashboardHost.ReadKey);
        var (row, why) = await DashboardBrowser.AcknowledgeRefusedAsync(Page, Host.Address, "expired", alertId);
        Assert.Contains("403", why, StringComparison.Ordinal);
        Assert.Contains("this key may only read; acknowledging an alert needs an admin key", why, StringComparison.Ordinal);
        Assert.Equal("open", await row.GetAttributeAsync("data-state"));
        Assert.Null((await store.FindAsync(alertId))!.Alert.AcknowledgedAt);

        // The same page, the admin key: the alert is acknowledged in storage and shown so.
        await Page.Locator("#change-key").ClickAsync();
        await Page.Locator("#key-input").FillAsync(DashboardHost.AdminKey);
        await Page.Locator("form.key-form button[type=submit]").ClickAsync();
        await row.Locator("button.ack").ClickAsync();
        await Page.Locator($"tr[data-alert='{alertId}'][data-state='acknowledged']").WaitForAsync();
        var stored = (await store.FindAsync(alertId))!.Alert;
        Assert.NotNull(stored.AcknowledgedAt);
        Assert.Equal("dashboard", stored.AcknowledgedBy);
        Assert.Contains("acknowledged by dashboard", await row.Locator("td[data-cell=state]").InnerTextAsync(), StringComparison.Ordinal);
        await Page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(DashboardBrowser.ArtifactsDirectory, "target-expired.png"), FullPage = true });
        Assert.DoesNotContain(_consoleErrors, e => !e.Contains("403", StringComparison.Ordinal));
    }

    [Fact]
    public async Task WrongKey_IsRefusedPlainly_AndNothingIsShown()
    {
        await Page.GotoAsync(Host.Address.ToString());
        await Page.Locator("#key-input").FillAsync("not-a-key-of-this-monitor-000");
        await Page.Locator("form.key-form button[type=submit]").ClickAsync();
        var error = Page.Locator("#key-error");
        await Assertions.Expect(error).ToContainTextAsync("401");
        Assert.Contains("refused", await error.InnerTextAsync(), StringComparison.Ordinal);
        await Page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(DashboardBrowser.ArtifactsDirectory, "wrong-key.png") });
        Assert.Equal(0, await Page.Locator("table.fleet").CountAsync());
        Assert.Null(await Page.EvaluateAsync<string?>("() => sessionStorage.getItem('mailhealth.key')"));
    }

    [Fact]
    public async Task Keyboard_ReachesEveryControl_OnBothViews()
    {
        await DashboardBrowser.SignInAsync(Page, Host.Address, DashboardHost.ReadKey);
        await AssertTabReachesEveryControlAsync();

        await Page.GotoAsync(new Uri(Host.Address, "#/target/expiring3").ToString());
        await Page.Locator(".beat-row").First.WaitForAsync();
        Assert.True(await Page.Locator("button.ack").CountAsync() > 0);
        await AssertTabReachesEveryControlAsync();

        // A link is followed with Enter: back to the fleet from the keyboard alone.
        await Page.Locator("a[href='#/']").Last.FocusAsync();
        await Page.Keyboard.PressAsync("Enter");
        await Page.Locator("table.fleet").WaitForAsync();
    }

    [Fact]
    public async Task EveryStatus_HasATextEquivalent_AndAShape()
    {
        await DashboardBrowser.SignInAsync(Page, Host.Address, DashboardHost.ReadKey);
        await AssertBadgesAsync();
        foreach (var id in SeededDashboard.TargetIds)
        {
            await Page.GotoAsync(new Uri(Host.Address, $"#/target/{id}").ToString());
            await Page.Locator($"[data-view=target][data-target='{id}'] .beat-row").First.WaitForAsync();
            await AssertBadgesAsync();

            // Timeline marks: each has a tooltip naming its status; each row a text summary.
            var titles = await Page.Locator("rect.mark title").AllTextContentsAsync();
            Assert.NotEmpty(titles);
            Assert.All(titles, t => Assert.Matches(": (pass|warn|fail|error)", t));
            var labels = await Page.Locator(".beat-track").EvaluateAllAsync<string[]>("t => t.map(e => e.getAttribute('aria-label'))");
            Assert.All(labels, l => Assert.Matches("^\\S+: \\d+ runs?, \\d+ (pass|warn|fail|error)", l));
        }
    }

    private async Task AssertBadgesAsync()
    {
        var badges = await Page.Locator(".badge").EvaluateAllAsync<JsonElement>(
            "bs => bs.map(b => ({ status: b.dataset.status || '', text: b.querySelector('.badge-text')?.textContent || '', hidden: b.querySelector('svg')?.getAttribute('aria-hidden') || '', shapes: b.querySelectorAll('svg .shape').length }))");
        Assert.True(badges.GetArrayLength() > 3);
        var words = new Dictionary<string, string> { ["pass"] = "pass", ["warn"] = "warn", ["fail"] = "fail", ["error"] = "error", ["none"] = "no data" };
        foreach (var badge in badges.EnumerateArray())
        {
            var text = badge.GetProperty("text").GetString()!;
            Assert.False(string.IsNullOrWhiteSpace(text));
            Assert.Equal("true", badge.GetProperty("hidden").GetString());
            Assert.Equal(1, badge.GetProperty("shapes").GetInt32());
            if (badge.GetProperty("status").GetString() is { Length: > 0 } status)
            {
                Assert.Equal(words[status], text);
            }
        }
    }

    private async Task AssertTabReachesEveryControlAsync()
    {
        var count = await Page.EvaluateAsync<int>("""
            () => {
              const controls = [...document.querySelectorAll('a[href], button, select, input, textarea, [tabindex]:not([tabindex="-1"])')]
                .filter(e => !e.disabled && !e.hidden && !e.closest('[hidden]') && getComputedStyle(e).visibility !== 'hidden' && e.getClientRects().length > 0);
              controls.forEach((e, i) => e.dataset.kb = String(i));
              return controls.length;
            }
            """);
        Assert.True(count > 3);
        var reached = new HashSet<string>(StringComparer.Ordinal);
        await Page.EvaluateAsync("() => { document.activeElement?.blur(); window.scrollTo(0, 0); }");
        for (var i = 0; i < count + 10 && reached.Count < count; i++)
        {
            await Page.Keyboard.PressAsync("Tab");
            var kb = await Page.EvaluateAsync<string>("() => document.activeElement?.dataset?.kb ?? ''");
            if (kb.Length > 0)
            {
                reached.Add(kb);
            }
        }

        var missed = await Page.EvaluateAsync<string[]>(
            "reached => [...document.querySelectorAll('[data-kb]')].filter(e => !reached.includes(e.dataset.kb)).map(e => e.outerHTML.slice(0, 120))",
            reached.ToArray());
        Assert.Empty(missed);
    }

    private async Task<List<string>> RowsAsync() =>
        [.. await Page.Locator("table.fleet tbody tr").EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.target)")];

    private async Task<JsonElement> GetJsonAsync(string path) =>
        await Host.Read.GetFromJsonAsync<JsonElement>(path);

    private static string Column(JsonElement check)
    {
        var kind = check.GetProperty("kind").GetString()!;
        return kind == "smtp" ? "smtp:" + check.GetProperty("id").GetString()!.Split(':')[^1] : kind;
    }

    private static string FixTextOf(string code)
    {
        // The row of docs/findings.md itself, read here independently of the parser under test.
        var row = File.ReadLines(Path.Combine(Testing.Peers.RepoRoot, "docs", "findings.md")).First(l => l.StartsWith($"| {code} |", StringComparison.Ordinal));
        var cells = row.Split('|', StringSplitOptions.TrimEntries);
        return cells[^2];
    }
}
