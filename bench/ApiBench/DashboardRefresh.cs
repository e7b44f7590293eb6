using System.Diagnostics;
using System.Text.Json;

namespace MailHealth.Bench;

/// <summary>
/// One refresh of the dashboard's fleet view, the requests app.js's <c>loadFleet</c> makes, in the
/// same shape: the detailed health, and the pages of the targets, the open alerts and the fleet's
/// status, the three lists side by side, each list's pages one after another (at most 10, as the
/// page's PAGE_CAP), through the dashboard's own browser cache.
/// </summary>
internal sealed class DashboardRefresh(BrowserCache browser)
{
    private const int PageCap = 10;

    /// <summary>Every request's time in milliseconds, and how many were answered 304.</summary>
    public List<double> Requests { get; } = [];

    /// <summary>The requests' times by route (the path without its query).</summary>
    public Dictionary<string, List<double>> ByRoute { get; } = new(StringComparer.Ordinal);

    public int NotModified { get; private set; }

    /// <summary>Runs one refresh; its time in milliseconds.</summary>
    public async Task<double> RunAsync(CancellationToken cancellationToken)
    {
        var began = Stopwatch.GetTimestamp();
        await Task.WhenAll(
            GetAsync("/api/health/detail", cancellationToken),
            PagesAsync("/api/targets?limit=200", cancellationToken),
            PagesAsync("/api/alerts?state=open&limit=1000", cancellationToken),
            PagesAsync("/api/status?limit=200", cancellationToken));
        return Stopwatch.GetElapsedTime(began).TotalMilliseconds;
    }

    private async Task PagesAsync(string path, CancellationToken cancellationToken)
    {
        string? continuation = null;
        for (var page = 0; page < PageCap; page++)
        {
            var url = continuation is null ? path : $"{path}&continuation={Uri.EscapeDataString(continuation)}";
            using var document = JsonDocument.Parse(await GetAsync(url, cancellationToken));
            continuation = document.RootElement.TryGetProperty("continuation", out var next) ? next.GetString() : null;
            if (continuation is null)
            {
                return;
            }
        }
    }

    private async Task<byte[]> GetAsync(string url, CancellationToken cancellationToken)
    {
        var sent = Stopwatch.GetTimestamp();
        var (body, notModified) = await browser.GetAsync(url, cancellationToken);
        var took = Stopwatch.GetElapsedTime(sent).TotalMilliseconds;
        lock (Requests)
        {
            Requests.Add(took);
            NotModified += notModified ? 1 : 0;
            var route = url.Split('?')[0];
            if (!ByRoute.TryGetValue(route, out var times))
            {
                ByRoute[route] = times = [];
            }

            times.Add(took);
        }

        return body;
    }
}
