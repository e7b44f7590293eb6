using MailHealth.Storage.Alerts;
using Microsoft.Playwright;

namespace MailHealth.Dashboard.Tests;

/// <summary>
/// What the page says about keys: a refused key (401) and a read key on an action that writes (403)
/// each in its own words, never asking for any key but the monitor's own; and, where Entra ID
/// sign-in stands in front of the monitor, a sign-in that lets a browser in without a key, its
/// app role deciding what it may do.
/// </summary>
public sealed class DashboardKeysTests : IAsyncLifetime
{
    private readonly List<string> _consoleErrors = [];
    private IPlaywright? _playwright;
    private IBrowser? _browser;
    private IPage? _page;

    private IPage Page => _page ?? throw new InvalidOperationException("no page");

    public async Task InitializeAsync()
    {
        (_playwright, _browser) = await DashboardBrowser.LaunchAsync();
        _page = await DashboardBrowser.NewPageAsync(_browser, _consoleErrors);
    }

    public async Task DisposeAsync()
    {
        if (_browser is not null)
        {
            await _browser.CloseAsync();
        }

        _playwright?.Dispose();
    }

    [Fact]
    public async Task AKeyRefused_Says401NoKeyOrNotValid_AndAsksOnlyForTheMonitorsOwnKeys()
    {
        await using var host = await DashboardHost.StartAsync();
        await Page.AddInitScriptAsync("sessionStorage.setItem('mailhealth.key', 'a-key-that-was-rotated-away-0000')");

        await Page.GotoAsync(host.Address.ToString());
        var error = Page.Locator("#key-error");
        await Assertions.Expect(error).ToContainTextAsync("Refused (401): no key, or the key is not valid");

        var page = await Page.Locator("body").InnerTextAsync();
        Assert.Contains("Use a key of this monitor's API: a read key shows the dashboard; acknowledging an alert needs an admin key.", page, StringComparison.Ordinal);
        Assert.DoesNotContain("master", page, StringComparison.OrdinalIgnoreCase);
        Assert.DoesNotContain("function key", page, StringComparison.OrdinalIgnoreCase);
        Assert.True(await Page.Locator("#sign-in").IsHiddenAsync());
        Assert.Null(await Page.EvaluateAsync<string?>("() => sessionStorage.getItem('mailhealth.key')"));
        await Page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(DashboardBrowser.ArtifactsDirectory, "key-refused.png") });
    }

    [Fact]
    public async Task EntraSignIn_OfferedBesideTheKey_ReadRoleIsRefusedWithWhy_AdminRoleAcknowledges()
    {
        var platform = new PlatformSignInStandIn("alice@example.test", "MailHealth.Read");
        await using var host = await DashboardHost.StartAsync(signIn: platform);
        await host.AddTargetAsync("expired", "expired.smtp.test", "25");
        await host.RunAsync("expired", TimeProvider.System.GetUtcNow());
        var alert = (await host.Get<AlertStore>().GetOfTargetAsync("expired")).Select(a => a.Alert).Single(a => a.Key.Code == "TLS_CERT_EXPIRED");

        // Not signed in yet: the key form, and the way to sign in instead.
        await Page.GotoAsync(host.Address.ToString());
        var link = Page.Locator("#sign-in-link");
        await Assertions.Expect(link).ToBeVisibleAsync();
        await Page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(DashboardBrowser.ArtifactsDirectory, "sign-in-offered.png") });

        // Signed in with the read role: the fleet without a key; acknowledging is refused, saying why.
        await link.ClickAsync();
        await Page.Locator("[data-view=fleet] table.fleet").WaitForAsync();
        Assert.Null(await Page.EvaluateAsync<string?>("() => sessionStorage.getItem('mailhealth.key')"));
        var (row, why) = await DashboardBrowser.AcknowledgeRefusedAsync(Page, host.Address, "expired", alert.Id);
        Assert.Contains("403", why, StringComparison.Ordinal);
        Assert.Contains("MailHealth.Admin", why, StringComparison.Ordinal);
        Assert.Null((await host.Get<AlertStore>().FindAsync(alert.Id))!.Alert.AcknowledgedAt);

        // The account given the admin role: the same session acknowledges.
        platform.Roles = ["MailHealth.Admin"];
        await row.Locator("button.ack").ClickAsync();
        await Page.Locator($"tr[data-alert='{alert.Id}'][data-state='acknowledged']").WaitForAsync();
        Assert.Equal("dashboard", (await host.Get<AlertStore>().FindAsync(alert.Id))!.Alert.AcknowledgedBy);
        await Page.ScreenshotAsync(new PageScreenshotOptions { Path = Path.Combine(DashboardBrowser.ArtifactsDirectory, "signed-in-acknowledged.png"), FullPage = true });
    }
}
