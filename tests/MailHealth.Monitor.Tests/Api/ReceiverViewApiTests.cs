using System.Globalization;
using System.Net;
using System.Net.Http.Headers;
using System.Text.Json;
using MailHealth.Monitor.ReceiverReports;
using MailHealth.Testing;
using MailHealth.Testing.Reports;

namespace MailHealth.Monitor.Tests.Api;

/// <summary>
/// The receivers' view through the API (issue 16, item 6), with reports from the documentation
/// ranges imported through <see cref="ReportIngestion"/> into Azurite first: each route's answer
/// against its OpenAPI schema and against what the reports carried, the list of what arrived by
/// domain and outcome, the fleet's DMARC pass share, a target without reports, and ETags that
/// answer 304 until a report of the target's domain is committed.
/// </summary>
public sealed class ReceiverViewApiTests
{
    private static DateOnly Yesterday => DateOnly.FromDateTime(TestClock.Yesterday.UtcDateTime);

    private static string Day(DateOnly day) => day.ToString("yyyy-MM-dd", CultureInfo.InvariantCulture);

    [Fact]
    public async Task DmarcSourcesAndTls_ShowWhatTheImportedReportsCarried()
    {
        await using var api = await ApiHost.StartAsync();
        await api.AddTargetAsync("seen", "seen.example");
        var spec = Reporters.Google("seen.example", TestClock.Yesterday, AggregateRows.Mixed("seen.example", 14, 5));
        var (messages, passed) = Expected(spec);
        await IngestAsync(api, Reporters.GoogleMessage(spec));
        await IngestAsync(api, TlsReportJson.Bytes(Reporters.GoogleTls("seen.example", TestClock.Yesterday)));
        var range = $"from={Day(Yesterday.AddDays(-2))}&to={Day(Yesterday)}";

        var dmarc = await ApiAssert.JsonAsync(await api.Read.GetAsync($"/api/targets/seen/dmarc?{range}&limit=2"), HttpStatusCode.OK, "DmarcView");
        var day = Assert.Single(dmarc.GetProperty("days").EnumerateArray());
        Assert.Equal(Day(Yesterday), day.GetProperty("day").GetString());
        Assert.Equal(messages, day.GetProperty("totals").GetProperty("messages").GetDouble());
        Assert.Equal(passed, day.GetProperty("totals").GetProperty("dmarcPass").GetDouble());
        Assert.Equal(Math.Round(passed / messages, 4), day.GetProperty("totals").GetProperty("passShare").GetDouble());
        Assert.Equal(5, day.GetProperty("sourceCount").GetInt32());
        var daySources = day.GetProperty("sources").EnumerateArray().ToList();
        Assert.Equal(2, daySources.Count);
        Assert.True(daySources[0].GetProperty("messages").GetProperty("messages").GetDouble() >= daySources[1].GetProperty("messages").GetProperty("messages").GetDouble());

        var sources = await ApiAssert.JsonAsync(await api.Read.GetAsync($"/api/targets/seen/dmarc/sources?{range}"), HttpStatusCode.OK, "DmarcSources");
        var listed = sources.GetProperty("sources").EnumerateArray().ToList();
        Assert.Equal(spec.Rows.Select(r => r.SourceIp).Distinct().Order(StringComparer.Ordinal), listed.Select(s => s.GetProperty("sourceIp").GetString()).Order(StringComparer.Ordinal));
        Assert.Equal(messages, listed.Sum(s => s.GetProperty("messages").GetDouble()));
        Assert.All(listed, s => Assert.Equal((Day(Yesterday), Day(Yesterday)), (s.GetProperty("firstSeen").GetString(), s.GetProperty("lastSeen").GetString())));
        // None is named yet: all unknown, so most messages first.
        Assert.Equal(listed.Select(s => s.GetProperty("messages").GetDouble()).OrderDescending(), listed.Select(s => s.GetProperty("messages").GetDouble()));

        var tls = await ApiAssert.JsonAsync(await api.Read.GetAsync($"/api/targets/seen/tls-reports?{range}"), HttpStatusCode.OK, "TlsReportsView");
        var tlsDay = Assert.Single(tls.GetProperty("days").EnumerateArray());
        Assert.Equal((1200.0, 12.0), (tlsDay.GetProperty("successfulSessions").GetDouble(), tlsDay.GetProperty("failedSessions").GetDouble()));
        var failure = Assert.Single(tlsDay.GetProperty("results").EnumerateArray(), r => r.TryGetProperty("resultType", out _));
        Assert.Equal(("certificate-expired", "mx2.seen.example", 12.0), (failure.GetProperty("resultType").GetString(), failure.GetProperty("mxHost").GetString(), failure.GetProperty("failedSessions").GetDouble()));

        var fleet = await ApiAssert.JsonAsync(await api.Read.GetAsync("/api/dmarc"), HttpStatusCode.OK, "DmarcSummaryPage");
        var summary = Assert.Single(fleet.GetProperty("items").EnumerateArray()).GetProperty("dmarc");
        Assert.Equal((messages, Math.Round(passed / messages, 4)), (summary.GetProperty("messages").GetDouble(), summary.GetProperty("passShare").GetDouble()));

        // The fleet loaded again (the dashboard's refresh): the page of targets and each target's figure come from the read cache, no storage read.
        var before = api.Get<Monitor.Api.ApiReadCache>().Statistics;
        await ApiAssert.JsonAsync(await api.Read.GetAsync("/api/dmarc"), HttpStatusCode.OK, "DmarcSummaryPage");
        var after = api.Get<Monitor.Api.ApiReadCache>().Statistics;
        Assert.Equal((before.Misses, before.Hits + 2), (after.Misses, after.Hits));
    }

    [Fact]
    public async Task ATargetWithoutReports_AnswersEmptyDays_AndTheFleetShowsNoShare()
    {
        await using var api = await ApiHost.StartAsync();
        await api.AddTargetAsync("quiet", "quiet.example");

        var dmarc = await ApiAssert.JsonAsync(await api.Read.GetAsync("/api/targets/quiet/dmarc"), HttpStatusCode.OK, "DmarcView");
        Assert.Empty(dmarc.GetProperty("days").EnumerateArray());
        // The default range: the 30 days up to today.
        var today = DateOnly.FromDateTime(api.Get<TimeProvider>().GetUtcNow().UtcDateTime);
        Assert.Equal((Day(today.AddDays(-29)), Day(today)), (dmarc.GetProperty("from").GetString(), dmarc.GetProperty("to").GetString()));
        Assert.Empty((await ApiAssert.JsonAsync(await api.Read.GetAsync("/api/targets/quiet/dmarc/sources"), HttpStatusCode.OK, "DmarcSources")).GetProperty("sources").EnumerateArray());
        Assert.Empty((await ApiAssert.JsonAsync(await api.Read.GetAsync("/api/targets/quiet/tls-reports"), HttpStatusCode.OK, "TlsReportsView")).GetProperty("days").EnumerateArray());
        var fleet = await ApiAssert.JsonAsync(await api.Read.GetAsync("/api/dmarc"), HttpStatusCode.OK, "DmarcSummaryPage");
        var summary = Assert.Single(fleet.GetProperty("items").EnumerateArray()).GetProperty("dmarc");
        Assert.Equal(0, summary.GetProperty("reports").GetInt32());
        Assert.False(summary.TryGetProperty("passShare", out _));
    }

    [Fact]
    public async Task ReportList_ByDomainAndOutcome_NewestFirst_Paged()
    {
        await using var api = await ApiHost.StartAsync();
        await api.AddTargetAsync("listed", "listed.example");
        var spec = Reporters.Google("listed.example", TestClock.Yesterday, AggregateRows.Mixed("listed.example", 6, 3));
        var stored = await IngestAsync(api, Reporters.GoogleMessage(spec));
        var duplicate = await IngestAsync(api, Reporters.MicrosoftMessage(spec));
        var other = await IngestAsync(api, Reporters.GoogleMessage(Reporters.Google("elsewhere.example", TestClock.Yesterday, AggregateRows.Mixed("elsewhere.example", 4, 2))));
        var invalid = await IngestAsync(api, ReportMail.Bytes(ReportMail.HumanReply(TestClock.Yesterday)));

        var all = await ApiAssert.JsonAsync(await api.Read.GetAsync("/api/reports"), HttpStatusCode.OK, "ListedReportPage");
        Assert.Equal([invalid, other, duplicate, stored], all.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("input").GetString()));

        var ofDomain = await ApiAssert.JsonAsync(await api.Read.GetAsync("/api/reports?domain=LISTED.example."), HttpStatusCode.OK, "ListedReportPage");
        Assert.Equal(["duplicate", "stored"], ofDomain.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("report").GetProperty("status").GetString()));

        var invalids = await ApiAssert.JsonAsync(await api.Read.GetAsync("/api/reports?status=invalid"), HttpStatusCode.OK, "ListedReportPage");
        var refused = Assert.Single(invalids.GetProperty("items").EnumerateArray());
        Assert.Equal(invalid, refused.GetProperty("input").GetString());
        Assert.False(string.IsNullOrEmpty(refused.GetProperty("report").GetProperty("reason").GetString()));

        // Pages of one: every item once, in the same order, and a continuation from another query refused.
        var paged = new List<string?>();
        string? continuation = null;
        do
        {
            var page = await ApiAssert.JsonAsync(await api.Read.GetAsync("/api/reports?limit=1" + (continuation is null ? "" : "&continuation=" + Uri.EscapeDataString(continuation))), HttpStatusCode.OK, "ListedReportPage");
            paged.AddRange(page.GetProperty("items").EnumerateArray().Select(i => i.GetProperty("input").GetString()));
            continuation = page.TryGetProperty("continuation", out var next) ? next.GetString() : null;
            if (continuation is not null && paged.Count == 1)
            {
                await ApiAssert.ProblemAsync(await api.Read.GetAsync("/api/reports?limit=1&status=stored&continuation=" + Uri.EscapeDataString(continuation)), HttpStatusCode.BadRequest);
            }
        }
        while (continuation is not null);
        Assert.Equal([invalid, other, duplicate, stored], paged);

        // A range that ended before they arrived holds none of them.
        var before = Uri.EscapeDataString((TestClock.Start - TimeSpan.FromDays(400)).ToString("O", CultureInfo.InvariantCulture));
        var past = await ApiAssert.JsonAsync(await api.Read.GetAsync($"/api/reports?to={before}"), HttpStatusCode.OK, "ListedReportPage");
        Assert.Empty(past.GetProperty("items").EnumerateArray());
    }

    [Fact]
    public async Task ReadRoutes_Answer304_UntilAReportOfTheDomainIsCommitted()
    {
        await using var api = await ApiHost.StartAsync();
        await api.AddTargetAsync("tagged", "tagged.example");
        await IngestAsync(api, Reporters.GoogleMessage(Reporters.Google("tagged.example", TestClock.Yesterday, AggregateRows.Mixed("tagged.example", 7, 3))));
        string[] paths = ["/api/targets/tagged/dmarc", "/api/targets/tagged/dmarc/sources", "/api/dmarc", "/api/reports?domain=tagged.example"];
        var tags = new Dictionary<string, EntityTagHeaderValue>();
        foreach (var path in paths)
        {
            var first = await api.Read.GetAsync(path);
            Assert.Equal(HttpStatusCode.OK, first.StatusCode);
            Assert.True(first.Headers.CacheControl is { Private: true, NoCache: true }, $"{path}: Cache-Control {first.Headers.CacheControl}");
            tags[path] = first.Headers.ETag!;
            Assert.False(tags[path].IsWeak);
            Assert.Equal(HttpStatusCode.NotModified, (await GetAsync(api, path, tags[path])).StatusCode);
        }

        // Another organisation's report of the same day: every answer changes, at once.
        await IngestAsync(api, Reporters.GoogleMessage(Reporters.Yahoo("tagged.example", TestClock.Yesterday, AggregateRows.Mixed("tagged.example", 3, 2))));
        foreach (var path in paths)
        {
            var after = await GetAsync(api, path, tags[path]);
            Assert.True(after.StatusCode == HttpStatusCode.OK, $"{path}: {(int)after.StatusCode} after a report was committed");
            Assert.NotEqual(tags[path], after.Headers.ETag);
        }

        var sources = await ApiAssert.JsonAsync(await api.Read.GetAsync("/api/targets/tagged/dmarc"), HttpStatusCode.OK, "DmarcView");
        Assert.Equal(2, Assert.Single(sources.GetProperty("days").EnumerateArray()).GetProperty("reports").GetInt32());
    }

    private static async Task<string> IngestAsync(ApiHost api, byte[] input) =>
        (await api.Get<ReportIngestion>().IngestAsync(input, ReportDoors.Cli, CancellationToken.None)).Input;

    private static async Task<HttpResponseMessage> GetAsync(ApiHost api, string path, EntityTagHeaderValue tag)
    {
        using var request = new HttpRequestMessage(HttpMethod.Get, path);
        request.Headers.IfNoneMatch.Add(tag);
        return await api.Read.SendAsync(request);
    }

    private static (double Messages, double DmarcPass) Expected(AggregateReportSpec spec)
    {
        var rows = spec.Rows.ToList();
        return (rows.Sum(r => double.Parse(r.Count!, CultureInfo.InvariantCulture)),
            rows.Where(r => r.Dkim == "pass" || r.Spf == "pass").Sum(r => double.Parse(r.Count!, CultureInfo.InvariantCulture)));
    }
}
