using MailHealth.Monitor.ReceiverReports;
using MailHealth.Testing;
using MailHealth.Testing.Reports;
using Microsoft.Playwright;

namespace MailHealth.Dashboard.Tests;

/// <summary>
/// One dashboard host whose targets have receivers' reports and no run: <c>reported</c>
/// (reported.example) with aggregate and TLS reports from Google and Microsoft over the five days
/// before today, generated from the documentation ranges and imported through report ingestion as
/// the command line imports them; <c>quiet</c> (quiet.example), for which no report arrived.
/// </summary>
public sealed class ReportedDashboard : IAsyncLifetime
{
    public const int Days = 5;

    private DashboardHost? _host;
    private IPlaywright? _playwright;
    private IBrowser? _browser;

    public DashboardHost Host => _host ?? throw new InvalidOperationException("not started");

    public IBrowser Browser => _browser ?? throw new InvalidOperationException("not started");

    public async Task InitializeAsync()
    {
        _host = await DashboardHost.StartAsync();
        await _host.AddTargetAsync("reported", "reported.example", "25", "prod");
        await _host.AddTargetAsync("quiet", "quiet.example", "25", "prod");
        var ingestion = _host.Get<ReportIngestion>();
        for (var back = 0; back < Days; back++)
        {
            var day = TestClock.Yesterday.AddDays(-back);
            // A volume that differs from day to day, over more sources on some days.
            var rows = AggregateRows.Mixed("reported.example", 10 + (3 * back), 4 + (back % 3));
            await ingestion.IngestAsync(Reporters.GoogleMessage(Reporters.Google("reported.example", day, rows)), ReportDoors.Cli, CancellationToken.None);
            await ingestion.IngestAsync(TlsReportJson.Bytes(Reporters.GoogleTls("reported.example", day)), ReportDoors.Cli, CancellationToken.None);
        }

        await ingestion.IngestAsync(Reporters.MicrosoftMessage(Reporters.Microsoft("reported.example", TestClock.Yesterday, AggregateRows.Mixed("reported.example", 9, 9))), ReportDoors.Cli, CancellationToken.None);
        await ingestion.IngestAsync(TlsReportJson.Bytes(Reporters.MicrosoftTls("reported.example", TestClock.Yesterday.AddDays(-1))), ReportDoors.Cli, CancellationToken.None);
        (_playwright, _browser) = await DashboardBrowser.LaunchAsync();
    }

    public Task DisposeAsync() => DashboardBrowser.CloseAsync(_playwright, _browser, _host);
}
