using System.Net.Http.Headers;
using MailHealth.Storage.Targets;

namespace MailHealth.Cli.Tests.Serve;

/// <summary><c>/metrics</c> writes the fleet's series from the snapshot it read last, after prometheus-net's own.</summary>
public sealed class ServeMetricsTests
{
    [Fact]
    public async Task ATargetDeletedFromStorage_LeavesTheNextScrape_AndTheOtherStays()
    {
        await using var serve = await ServeHarness.StartAsync(
            """[ { "id": "shop", "domain": "demo.test" }, { "id": "gone", "domain": "good.smtp.test", "enabled": false } ]""",
            settings: new Dictionary<string, string?> { ["MailHealth:Serve:MetricsCacheDuration"] = "00:00:00" });

        var before = await ScrapeAsync(serve);
        Assert.Contains(before.LabelsOf("mailhealth_target_info"), l => l["target"] == "gone" && l["domain"] == "good.smtp.test" && l["enabled"] == "false");
        Assert.Equal(1, before.Value("mailhealth_target_info", ("target", "shop")));

        Assert.True(await serve.Get<TargetStore>().DeleteAsync("gone"));

        var after = await ScrapeAsync(serve);
        Assert.Null(after.Value("mailhealth_target_info", ("target", "gone")));
        Assert.Equal(1, after.Value("mailhealth_target_info", ("target", "shop")));
    }

    [Fact]
    public async Task AScraperAskingForOpenMetrics_GetsTheTextFormat_WithTheFleetAfterTheRegistry()
    {
        await using var serve = await ServeHarness.StartAsync("""[ { "id": "shop", "domain": "demo.test" } ]""");
        using var request = new HttpRequestMessage(HttpMethod.Get, new Uri("/metrics", UriKind.Relative));
        request.Headers.Accept.Add(MediaTypeWithQualityHeaderValue.Parse("application/openmetrics-text; version=1.0.0"));

        using var response = await serve.Http.SendAsync(request);
        var text = await response.Content.ReadAsStringAsync();

        Assert.Equal("text/plain; version=0.0.4; charset=utf-8", response.Content.Headers.ContentType?.ToString());
        Assert.DoesNotContain("# EOF", text, StringComparison.Ordinal);
        Assert.Contains("# TYPE mailhealth_target_info gauge\n", text, StringComparison.Ordinal);
        var metrics = new PrometheusText(text);
        Assert.Equal(1, metrics.Value("mailhealth_target_info", ("target", "shop"), ("domain", "demo.test"), ("enabled", "true")));
        Assert.NotNull(metrics.Value("mailhealth_metrics_storage_read_timestamp_seconds"));
    }

    private static async Task<PrometheusText> ScrapeAsync(ServeHarness serve) =>
        new(await serve.Http.GetStringAsync(new Uri("/metrics", UriKind.Relative)));
}
