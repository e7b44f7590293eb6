using MailHealth.Monitor;
using MailHealth.Monitor.Dashboard;
using MailHealth.Settings;

namespace MailHealth.Dashboard.Tests;

/// <summary>The links notifications carry into the dashboard, under MailHealth:Monitor:PublicUrl (the page's route: #/target/ID).</summary>
public sealed class DashboardLinksTests
{
    [Theory]
    [InlineData("https://mailhealth.example.com", "https://mailhealth.example.com/", "https://mailhealth.example.com/#/target/shop-1")]
    [InlineData("https://example.com/monitor", "https://example.com/monitor/", "https://example.com/monitor/#/target/shop-1")]
    [InlineData("http://127.0.0.1:8080/", "http://127.0.0.1:8080/", "http://127.0.0.1:8080/#/target/shop-1")]
    public void Links_UnderThePublicUrl_PathEndingInASlash(string publicUrl, string root, string target)
    {
        var links = new DashboardLinks(publicUrl);

        Assert.Equal(root, links.Root!.AbsoluteUri);
        Assert.Equal(target, links.Target("shop-1")!.AbsoluteUri);
        Assert.Empty(Problems(publicUrl));
    }

    [Theory]
    [InlineData(null)]
    [InlineData("")]
    public void NoPublicUrl_NoLinks(string? publicUrl)
    {
        var links = new DashboardLinks(publicUrl);

        Assert.Null(links.Root);
        Assert.Null(links.Target("shop-1"));
        Assert.Empty(Problems(publicUrl));
    }

    [Theory]
    [InlineData("monitor.example.org")]
    [InlineData("/monitor/")]
    [InlineData("ftp://example.com/")]
    [InlineData("https://admin:hunter2@example.com/")]
    [InlineData("https://example.com/?tenant=1")]
    [InlineData("https://example.com/#/target/x")]
    public void PublicUrl_NotADashboardAddress_RefusedByItsPath_WithoutQuotingIt(string publicUrl)
    {
        var problem = Assert.Single(Problems(publicUrl));

        Assert.StartsWith("MailHealth:Monitor:PublicUrl: not an absolute http(s) URL without user, query or fragment", problem, StringComparison.Ordinal);
        Assert.DoesNotContain(publicUrl, problem, StringComparison.Ordinal);
        Assert.Null(DashboardLinks.ParseRoot(publicUrl));
    }

    private static IEnumerable<string> Problems(string? publicUrl) =>
        new SettingsValidation<MonitorSettings>(MonitorSettings.Section, MonitorSettings.Validate)
            .Validate(null, new MonitorSettings { PublicUrl = publicUrl }).Failures ?? [];
}
