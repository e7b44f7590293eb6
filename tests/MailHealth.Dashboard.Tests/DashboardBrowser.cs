using Microsoft.Playwright;

namespace MailHealth.Dashboard.Tests;

/// <summary>
/// Debian's headless Chromium driven by Playwright without anything downloaded: the browser from
/// apt (eng/peers/start.d/06-browser.sh installs chromium-headless-shell), the driver's Node.js
/// from the system (the project builds with PlaywrightPlatform=none).
/// </summary>
public static class DashboardBrowser
{
    private static readonly string[] Browsers = ["/usr/bin/chromium-headless-shell", "/usr/bin/chromium"];

    /// <summary>Where the tests write their screenshots: artifacts/dashboard under the repository.</summary>
    public static string ArtifactsDirectory
    {
        get
        {
            var directory = Path.Combine(Testing.Peers.RepoRoot, "artifacts", "dashboard");
            Directory.CreateDirectory(directory);
            return directory;
        }
    }

    public static async Task<(IPlaywright Playwright, IBrowser Browser)> LaunchAsync()
    {
        if (Environment.GetEnvironmentVariable("PLAYWRIGHT_NODEJS_PATH") is not { Length: > 0 })
        {
            var node = FindOnPath("node") ?? throw new InvalidOperationException("node is not installed (apt-get install nodejs); Playwright's driver runs on it");
            Environment.SetEnvironmentVariable("PLAYWRIGHT_NODEJS_PATH", node);
        }

        if (Environment.GetEnvironmentVariable("PLAYWRIGHT_DRIVER_SEARCH_PATH") is not { Length: > 0 })
        {
            var package = typeof(DashboardBrowser).Assembly.GetCustomAttributes(typeof(System.Reflection.AssemblyMetadataAttribute), false)
                .Cast<System.Reflection.AssemblyMetadataAttribute>().Single(a => a.Key == "PlaywrightPackage").Value;
            Environment.SetEnvironmentVariable("PLAYWRIGHT_DRIVER_SEARCH_PATH", package);
        }

        var executable = Browsers.FirstOrDefault(File.Exists)
            ?? throw new InvalidOperationException("no Chromium: apt-get install chromium-headless-shell (eng/test.sh does)");
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new BrowserTypeLaunchOptions { ExecutablePath = executable, Headless = true });
        return (playwright, browser);
    }

    /// <summary>
    /// Closes what <see cref="LaunchAsync"/> opened, then disposes <paramref name="host"/>: a
    /// fixture's end. Any of them may be null (a fixture that failed part way through its start).
    /// </summary>
    public static async Task CloseAsync(IPlaywright? playwright, IBrowser? browser, IAsyncDisposable? host = null)
    {
        if (browser is not null)
        {
            await browser.DisposeAsync();
        }

        playwright?.Dispose();
        if (host is not null)
        {
            await host.DisposeAsync();
        }
    }

    /// <summary>A fresh page (its own session storage) of a 1400x900 window; console errors are collected in <paramref name="errors"/>.</summary>
    public static async Task<IPage> NewPageAsync(IBrowser browser, List<string> errors)
    {
        var context = await browser.NewContextAsync(new BrowserNewContextOptions
        {
            ViewportSize = new ViewportSize { Width = 1400, Height = 900 },
            TimezoneId = "Europe/Berlin",
        });
        var page = await context.NewPageAsync();
        page.Console += (_, message) =>
        {
            if (message.Type == "error")
            {
                errors.Add(message.Text);
            }
        };
        page.PageError += (_, error) => errors.Add(error);
        return page;
    }

    /// <summary>Opens the dashboard, enters <paramref name="key"/> in its form and waits for the fleet.</summary>
    public static async Task SignInAsync(IPage page, Uri address, string key)
    {
        await page.GotoAsync(address.ToString());
        await page.Locator("#key-input").FillAsync(key);
        await page.Locator("form.key-form button[type=submit]").ClickAsync();
        await page.Locator("[data-view=fleet] table.fleet, [data-view=fleet] p.empty").First.WaitForAsync();
    }

    /// <summary>Opens <paramref name="targetId"/>'s view, clicks Acknowledge on <paramref name="alertId"/>'s row and returns the row and the refusal it then shows.</summary>
    public static async Task<(ILocator Row, string Refusal)> AcknowledgeRefusedAsync(IPage page, Uri address, string targetId, string alertId)
    {
        await page.GotoAsync(new Uri(address, $"#/target/{targetId}").ToString());
        var row = page.Locator($"tr[data-alert='{alertId}']");
        await row.Locator("button.ack").ClickAsync();
        var refused = row.Locator(".ack-msg.refused");
        await refused.WaitForAsync();
        return (row, await refused.InnerTextAsync());
    }

    private static string? FindOnPath(string name) =>
        (Environment.GetEnvironmentVariable("PATH") ?? string.Empty).Split(':', StringSplitOptions.RemoveEmptyEntries)
            .Select(d => Path.Combine(d, name))
            .FirstOrDefault(File.Exists);
}
