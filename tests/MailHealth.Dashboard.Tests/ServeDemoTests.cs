using System.Net.Http.Json;
using System.Text.Json;
using MailHealth.Cli.Serve;
using MailHealth.Monitor.Findings;
using MailHealth.Storage.Configuration;
using MailHealth.Testing;
using MailHealth.Testing.Http;
using MailHealth.Testing.Mail;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Playwright;
using MimeKit;

namespace MailHealth.Dashboard.Tests;

/// <summary>
/// What a new user does after eng/run.sh: `mailhealth serve` on the demo fleet (eng/demo/serve.json.in,
/// with storage of its own), the page at /, the demo's read key, every demo target, the broken
/// one's alert received by e-mail (the peers' alerts Maildir) and webhook (a receiver standing in
/// for eng/demo/webhook-receiver.mjs), its link followed, the alert acknowledged with the demo's admin key.
/// </summary>
public sealed class ServeDemoTests : IAsyncLifetime
{
    private const string DemoReadKey = "demo-read-key-DO-NOT-USE-0001";
    private const string DemoAdminKey = "demo-admin-key-DO-NOT-USE-0001";
    private static readonly string[] DemoTargets = ["expiring", "flap", "healthy", "listed", "spf"];

    // What eng/run.sh fills @URL@ with: where the dashboard is (here a name: serve gets a free port).
    private const string DemoPublicUrl = "http://mailhealth.demo.test:8080/";

    private readonly List<string> _consoleErrors = [];
    private string _directory = string.Empty;
    private ServeHost? _serve;
    private HttpReceiver? _hook;
    private DateTimeOffset _started;
    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public async Task InitializeAsync()
    {
        _directory = Directory.CreateTempSubdirectory("dashboard-demo-").FullName;
        var template = await File.ReadAllTextAsync(Path.Combine(Peers.RepoRoot, "eng", "demo", "serve.json.in"));
        var config = Path.Combine(_directory, "serve.json");
        await File.WriteAllTextAsync(config, template.Replace("@NET@", Peers.Net, StringComparison.Ordinal).Replace("@STATE@", Peers.State, StringComparison.Ordinal)
            .Replace("@URL@", DemoPublicUrl, StringComparison.Ordinal));
        var prefix = "w" + Guid.NewGuid().ToString("N")[..12];
        _hook = new HttpReceiver();
        // Mail older than this in the shared Maildir is another run's.
        _started = TimeProvider.System.GetUtcNow().AddSeconds(-1);
        _serve = await ServeHost.CreateAsync(new ServeOptions
        {
            ConfigFile = config,
            Urls = "http://127.0.0.1:0",
            Settings = new Dictionary<string, string?>
            {
                ["MailHealth:Storage:TablePrefix"] = prefix,
                ["MailHealth:Storage:ProbeQueueName"] = prefix + "-probes",
                ["MailHealth:Storage:NotificationQueueName"] = prefix + "-notifications",
                ["MailHealth:Storage:ReportQueueName"] = prefix + "-reports",
                ["MailHealth:Storage:ReportContainerName"] = prefix + "-reports",
                ["MailHealth:Serve:WorkerIdlePause"] = "00:00:00.200",
                ["Logging:LogLevel:Default"] = "Warning",
                // What eng/run.sh passes in the environment, and the demo's webhook receiver.
                ["MailHealth:Notifications:Channels:mail:Password"] = AlertMailbox.Credentials().Password,
                ["MailHealth:Notifications:Channels:hook:Url"] = _hook.Url("/mailhealth").ToString(),
                // The demo's reports mailbox, as a user of this test's own (the demo's is eng/run.sh's).
                ["MailHealth:Mailbox:User"] = ReportsMailbox.NewUser(),
                ["MailHealth:Mailbox:Password"] = ReportsMailbox.Password,
            },
        }, CancellationToken.None);
        await _serve.StartAsync(CancellationToken.None);
        (_playwright, _browser) = await DashboardBrowser.LaunchAsync();
    }

    public async Task DisposeAsync()
    {
        await DashboardBrowser.CloseAsync(_playwright, _browser);
        if (_serve is not null)
        {
            await _serve.StopAsync(CancellationToken.None);
            await PeerStorage.DeleteAsync(_serve.Services.GetRequiredService<StorageAccount>());

            await _serve.DisposeAsync();
        }

        if (_hook is not null)
        {
            await _hook.DisposeAsync();
        }

        Directory.Delete(_directory, recursive: true);
    }

    [Fact]
    public async Task NewUser_SeesEveryDemoTarget_GetsTheBrokenOnesAlertByMailAndWebhook_FollowsItsLink_AndAcknowledgesIt()
    {
        var address = new Uri(_serve!.Addresses[0]);
        using var read = new HttpClient { BaseAddress = address };
        read.DefaultRequestHeaders.Add("x-functions-key", DemoReadKey);

        // serve schedules at start-up (the demo's ScheduleOnStart): wait for every target's first run.
        foreach (var id in DemoTargets)
        {
            await EventuallyAsync(async () => (await read.GetFromJsonAsync<JsonElement>($"/api/targets/{id}/status")).TryGetProperty("runId", out _), $"a run of {id}");
        }

        var spfAlert = await EventuallyAsync(
            async () => (await read.GetFromJsonAsync<JsonElement>("/api/alerts?target=spf")).GetProperty("items").EnumerateArray()
                .Select(a => a.GetProperty("id").GetString()).FirstOrDefault(a => a is not null && a.Contains("SPF", StringComparison.Ordinal)) is { } id ? id : null,
            "the spf target's alert");

        // The alert, by e-mail through the peers' Postfix: its fix as the dashboard shows it, and the link to the target's page.
        var mail = (await AlertMailbox.WaitForAsync(
            m => m.Date >= _started && m.Subject is { } subject
                && subject.Contains("spf.monitor.test: SPF_", StringComparison.Ordinal) && subject.EndsWith("opened", StringComparison.Ordinal),
            1,
            TimeSpan.FromSeconds(60))).FirstOrDefault();
        Assert.NotNull(mail);
        var text = Assert.IsType<TextPart>(mail.Body).Text.ReplaceLineEndings("\n");
        var code = mail.Subject!.Split(": ")[1].Split(' ')[0];
        Assert.Contains($"How to fix: {FindingFixes.Catalogue[code]}\n", text, StringComparison.Ordinal);
        var link = new Uri(text.Split('\n').Single(l => l.StartsWith("Dashboard: ", StringComparison.Ordinal))["Dashboard: ".Length..]);
        Assert.Equal($"{DemoPublicUrl}#/target/spf", link.AbsoluteUri);
        // And by the signed webhook.
        var hooked = await EventuallyAsync(
            () => Task.FromResult(_hook!.Requests.Select(r => r.BodyText).FirstOrDefault(b => b.Contains($"\"alertId\":\"{spfAlert}\"", StringComparison.Ordinal))),
            "the spf alert's webhook delivery");
        using (var delivered = JsonDocument.Parse(hooked))
        {
            Assert.Equal("alertOpened", delivered.RootElement.GetProperty("kind").GetString());
            Assert.Equal(FindingFixes.Catalogue[code], delivered.RootElement.GetProperty("fix").GetString());
            Assert.Equal($"{DemoPublicUrl}#/target/spf", delivered.RootElement.GetProperty("link").GetString());
        }

        var page = await DashboardBrowser.NewPageAsync(_browser!, _consoleErrors);
        await DashboardBrowser.SignInAsync(page, address, DemoReadKey);
        Assert.Equal(DemoTargets, await page.Locator("table.fleet tbody tr").EvaluateAllAsync<string[]>("rows => rows.map(r => r.dataset.target)"));
        foreach (var id in DemoTargets)
        {
            var status = (await read.GetFromJsonAsync<JsonElement>($"/api/targets/{id}/status")).GetProperty("status").GetString();
            await Assertions.Expect(page.Locator($"tr[data-target='{id}'] td[data-cell=status] .badge-text")).ToHaveTextAsync(status!);
        }

        await Assertions.Expect(page.Locator("tr[data-target='healthy'] td[data-cell=status] .badge-text")).ToHaveTextAsync("pass");
        await Assertions.Expect(page.Locator("tr[data-target='spf'] td[data-cell=status] .badge-text")).ToHaveTextAsync("fail");
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(DashboardBrowser.ArtifactsDirectory, "demo-fleet.png") });

        await page.Locator("#change-key").ClickAsync();
        await page.Locator("#key-input").FillAsync(DemoAdminKey);
        await page.Locator("form.key-form button[type=submit]").ClickAsync();
        // The e-mail's link, on this serve's address: the spf target's page.
        await page.GotoAsync(new Uri(address, link.Fragment).ToString());
        var row = page.Locator($"tr[data-alert='{spfAlert}']");
        await row.Locator("button.ack").ClickAsync();
        await page.Locator($"tr[data-alert='{spfAlert}'][data-state='acknowledged']").WaitForAsync();
        var stored = (await read.GetFromJsonAsync<JsonElement>("/api/alerts?target=spf")).GetProperty("items").EnumerateArray().Single(a => a.GetProperty("id").GetString() == spfAlert);
        Assert.Equal("dashboard", stored.GetProperty("acknowledgedBy").GetString());
        await page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(DashboardBrowser.ArtifactsDirectory, "demo-target-spf.png"), FullPage = true });
        Assert.Empty(_consoleErrors);
    }

    private static async Task<T> EventuallyAsync<T>(Func<Task<T?>> condition, string what)
    {
        for (var attempt = 0; attempt < 600; attempt++)
        {
            if (await condition() is { } value && !Equals(value, false))
            {
                return value;
            }

            await Task.Delay(100);
        }

        throw new Xunit.Sdk.XunitException($"never happened: {what}");
    }
}
