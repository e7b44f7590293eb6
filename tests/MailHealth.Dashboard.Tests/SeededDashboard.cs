using MailHealth.Changes;
using MailHealth.Storage.Changes;
using Microsoft.Playwright;

namespace MailHealth.Dashboard.Tests;

/// <summary>
/// One dashboard host for a test class, seeded once by running the real checks against the peers:
/// four targets over three slots five minutes apart, ending just before now (so the dashboard's
/// 24-hour range holds them whatever the day); and one browser.
/// good.smtp.test is healthy on 25/587/465; expired.smtp.test's certificate has expired (its alert
/// opens at the first run); expiring15 and expiring3 carry certificates that expire in 15 and 3 days.
/// </summary>
public sealed class SeededDashboard : IAsyncLifetime
{
    private DashboardHost? _host;
    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public DashboardHost Host => _host ?? throw new InvalidOperationException("not started");

    public IBrowser Browser => _browser ?? throw new InvalidOperationException("not started");

    public IReadOnlyList<DateTimeOffset> Slots { get; private set; } = [];

    public static IReadOnlyList<string> TargetIds { get; } = ["expired", "expiring15", "expiring3", "good"];

    public async Task InitializeAsync()
    {
        _host = await DashboardHost.StartAsync();
        await _host.AddTargetAsync("good", "good.smtp.test", "25,587,465", "prod");
        await _host.AddTargetAsync("expired", "expired.smtp.test", "25", "prod");
        await _host.AddTargetAsync("expiring15", "expiring15.smtp.test", "25", "staging");
        await _host.AddTargetAsync("expiring3", "expiring3.smtp.test", "25", "staging");

        var now = TimeProvider.System.GetUtcNow();
        var last = new DateTimeOffset(now.Ticks - (now.Ticks % TimeSpan.FromMinutes(5).Ticks), TimeSpan.Zero).AddMinutes(-5);
        Slots = [last.AddMinutes(-10), last.AddMinutes(-5), last];
        foreach (var slot in Slots)
        {
            await Task.WhenAll(TargetIds.Select(id => _host.RunAsync(id, slot)));
        }

        // A DMARC record that regressed between two runs, as the change detector stores it.
        await _host.Get<ChangeEventStore>().AddAsync(
        [
            new ChangeEvent("good", "dmarc", "v=DMARC1; p=reject", "v=DMARC1; p=none", "DMARC p=reject -> p=none", last, $"good/{last:yyyyMMddTHHmmssZ}"),
        ]);

        (_playwright, _browser) = await DashboardBrowser.LaunchAsync();
    }

    public Task DisposeAsync() => DashboardBrowser.CloseAsync(_playwright, _browser, _host);
}
