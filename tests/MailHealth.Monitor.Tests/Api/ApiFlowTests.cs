using System.Net;
using System.Net.Http.Json;
using System.Text;
using MailHealth.Changes;
using MailHealth.Monitor.Scheduling;
using MailHealth.Monitor.Tests.Runs;
using MailHealth.Storage.Changes;
using MailHealth.Storage.Queues;
using MailHealth.Storage.Targets;
using MailHealth.Testing;
using MailHealth.Testing.Http;
using MailHealth.Testing.Schemas;

namespace MailHealth.Monitor.Tests.Api;

/// <summary>The API as a user meets it: targets written and read back, runs stored by the monitor and read as status, history, report, alerts and events.</summary>
public sealed class ApiFlowTests
{
    [Fact]
    public async Task Targets_PutGetListDelete_RoundTripWithPaging()
    {
        await using var api = await ApiHost.StartAsync();

        var created = await api.Admin.PutAsync("/api/targets/shop", Json("""{"domain":"shop.example","ports":[25,"2525:smtp"],"tags":["prod"],"checks":["spf","smtp"]}"""));
        var shop = await ApiAssert.JsonAsync(created, HttpStatusCode.Created, "TargetDefinition");
        Assert.Equal("shop", shop.GetProperty("id").GetString());
        Assert.Equal(["25", "2525:smtp"], shop.GetProperty("ports").EnumerateArray().Select(p => p.GetString()));
        Assert.Equal(["smtp", "spf"], shop.GetProperty("checks").EnumerateArray().Select(p => p.GetString()));

        var replaced = await api.Admin.PutAsync("/api/targets/shop", Json("""{"id":"shop","domain":"shop.example","enabled":false}"""));
        Assert.False((await ApiAssert.JsonAsync(replaced, HttpStatusCode.OK, "TargetDefinition")).GetProperty("enabled").GetBoolean());
        await api.Admin.PutAsync("/api/targets/blog", Json("""{"domain":"blog.example"}"""));

        var read = await ApiAssert.JsonAsync(await api.Read.GetAsync("/api/targets/shop"), HttpStatusCode.OK, "TargetDefinition");
        Assert.Equal("shop.example", read.GetProperty("domain").GetString());

        var first = await ApiAssert.JsonAsync(await api.Read.GetAsync("/api/targets?limit=1"), HttpStatusCode.OK, "TargetPage");
        Assert.Equal("blog", Assert.Single(first.GetProperty("items").EnumerateArray()).GetProperty("id").GetString());
        var token = Uri.EscapeDataString(first.GetProperty("continuation").GetString()!);
        var second = await ApiAssert.JsonAsync(await api.Read.GetAsync($"/api/targets?limit=1&continuation={token}"), HttpStatusCode.OK, "TargetPage");
        Assert.Equal("shop", Assert.Single(second.GetProperty("items").EnumerateArray()).GetProperty("id").GetString());

        Assert.Equal(HttpStatusCode.NoContent, (await api.Admin.DeleteAsync("/api/targets/shop")).StatusCode);
        await ApiAssert.ProblemAsync(await api.Read.GetAsync("/api/targets/shop"), HttpStatusCode.NotFound);
        await ApiAssert.ProblemAsync(await api.Admin.DeleteAsync("/api/targets/shop"), HttpStatusCode.NotFound);
        Assert.Null(await api.Get<TargetStore>().GetAsync("shop"));
    }

    [Fact]
    public async Task Runs_StatusHistoryReportAlertsAndAcknowledgement_AsStored()
    {
        await using var api = await ApiHost.StartAsync();
        await api.AddTargetAsync("expired", "expired.smtp.test");

        // Known but never run: an empty status, and no report yet.
        var before = await ApiAssert.JsonAsync(await api.Read.GetAsync("/api/targets/expired/status"), HttpStatusCode.OK, "TargetStatus");
        Assert.False(before.TryGetProperty("status", out _));
        await ApiAssert.ProblemAsync(await api.Read.GetAsync("/api/targets/expired/report"), HttpStatusCode.NotFound);

        await api.RunAsync("expired", MonitorHarness.Slot(0));
        await api.RunAsync("expired", MonitorHarness.Slot(1));

        var status = await ApiAssert.JsonAsync(await api.Read.GetAsync("/api/targets/expired/status"), HttpStatusCode.OK, "TargetStatus");
        Assert.Equal("fail", status.GetProperty("status").GetString());
        var smtp = status.GetProperty("checks").EnumerateArray().Single(c => c.GetProperty("id").GetString()!.StartsWith("smtp:", StringComparison.Ordinal));
        Assert.Contains(smtp.GetProperty("findings").EnumerateArray(), f => f.GetProperty("code").GetString() == "TLS_CERT_EXPIRED");

        // The fleet in one request: the same status as the target's own route, and a target not run yet without one.
        await api.AddTargetAsync("fresh", "good.smtp.test");
        var fleet = await ApiAssert.JsonAsync(await api.Read.GetAsync("/api/status?limit=1"), HttpStatusCode.OK, "StatusPage");
        var expiredStatus = Assert.Single(fleet.GetProperty("items").EnumerateArray());
        Assert.Equal("expired", expiredStatus.GetProperty("targetId").GetString());
        Assert.Equal(status.GetProperty("runId").GetString(), expiredStatus.GetProperty("runId").GetString());
        Assert.Equal(status.GetProperty("checks").GetArrayLength(), expiredStatus.GetProperty("checks").GetArrayLength());
        var rest = Uri.EscapeDataString(fleet.GetProperty("continuation").GetString()!);
        var second = await ApiAssert.JsonAsync(await api.Read.GetAsync($"/api/status?limit=1&continuation={rest}"), HttpStatusCode.OK, "StatusPage");
        var fresh = Assert.Single(second.GetProperty("items").EnumerateArray());
        Assert.Equal("fresh", fresh.GetProperty("targetId").GetString());
        Assert.False(fresh.TryGetProperty("status", out _));
        Assert.Empty(fresh.GetProperty("checks").EnumerateArray());

        var history = await ApiAssert.JsonAsync(await api.Read.GetAsync("/api/targets/expired/history"), HttpStatusCode.OK, "RunPage");
        var slots = history.GetProperty("items").EnumerateArray().Select(r => r.GetProperty("slot").GetDateTimeOffset()).ToList();
        Assert.Equal([MonitorHarness.Slot(1), MonitorHarness.Slot(0)], slots);

        var smtpId = Uri.EscapeDataString(smtp.GetProperty("id").GetString()!);
        var filtered = await ApiAssert.JsonAsync(await api.Read.GetAsync($"/api/targets/expired/history?check={smtpId}&from={TestClock.Query(MonitorHarness.Slot(0).AddMinutes(4))}&limit=5"), HttpStatusCode.OK, "RunPage");
        var only = Assert.Single(filtered.GetProperty("items").EnumerateArray());
        Assert.Equal(smtp.GetProperty("id").GetString(), Assert.Single(only.GetProperty("checks").EnumerateArray()).GetProperty("id").GetString());

        var report = await api.Read.GetAsync("/api/targets/expired/report");
        Assert.Equal(HttpStatusCode.OK, report.StatusCode);
        var reportJson = await report.Content.ReadAsStringAsync();
        Assert.Empty(SchemaValidator.ReportErrors(reportJson));
        Assert.Empty(SchemaValidator.ComponentErrors(ApiAssert.Document, "Report", reportJson));

        // A critical finding opens its alert after one run (docs/alerts.md).
        var open = await ApiAssert.JsonAsync(await api.Read.GetAsync("/api/alerts"), HttpStatusCode.OK, "AlertPage");
        var alert = open.GetProperty("items").EnumerateArray().Single(a => a.GetProperty("key").GetProperty("code").GetString() == "TLS_CERT_EXPIRED");
        var alertId = alert.GetProperty("id").GetString()!;
        var ofTarget = await ApiAssert.JsonAsync(await api.Read.GetAsync("/api/alerts?state=all&target=expired"), HttpStatusCode.OK, "AlertPage");
        Assert.Contains(ofTarget.GetProperty("items").EnumerateArray(), a => a.GetProperty("id").GetString() == alertId);
        var resolved = await ApiAssert.JsonAsync(await api.Read.GetAsync("/api/alerts?state=resolved"), HttpStatusCode.OK, "AlertPage");
        Assert.Empty(resolved.GetProperty("items").EnumerateArray());

        var ack = await api.Admin.PostAsync($"/api/alerts/{alertId}/ack", Json("""{"by":"postmaster@example.test"}"""));
        var acknowledged = await ApiAssert.JsonAsync(ack, HttpStatusCode.OK, "Alert");
        Assert.Equal("postmaster@example.test", acknowledged.GetProperty("acknowledgedBy").GetString());
        var again = await ApiAssert.JsonAsync(await api.Admin.PostAsync($"/api/alerts/{alertId}/ack", null), HttpStatusCode.OK, "Alert");
        Assert.Equal("postmaster@example.test", again.GetProperty("acknowledgedBy").GetString());

        // Two runs that saw the same records: nothing changed between them.
        var events = await ApiAssert.JsonAsync(await api.Read.GetAsync("/api/events?target=expired"), HttpStatusCode.OK, "ChangeEventPage");
        Assert.Empty(events.GetProperty("items").EnumerateArray());

        // Deleting the target takes its alerts with it.
        Assert.Equal(HttpStatusCode.NoContent, (await api.Admin.DeleteAsync("/api/targets/expired")).StatusCode);
        var after = await ApiAssert.JsonAsync(await api.Read.GetAsync("/api/alerts?state=all"), HttpStatusCode.OK, "AlertPage");
        Assert.Empty(after.GetProperty("items").EnumerateArray());
        await ApiAssert.ProblemAsync(await api.Read.GetAsync("/api/targets/expired/status"), HttpStatusCode.NotFound);
        await ApiAssert.ProblemAsync(await api.Read.GetAsync("/api/targets/expired/report"), HttpStatusCode.NotFound);
    }

    [Fact]
    public async Task Probe_QueuesARunForNow_AndHealthShowsTheScheduleAndBacklog()
    {
        await using var api = await ApiHost.StartAsync();
        await api.AddTargetAsync("good", "good.smtp.test");

        var health = await ApiAssert.JsonAsync(await api.Read.GetAsync("/api/health/detail"), HttpStatusCode.OK, "Health");
        Assert.Equal("degraded", health.GetProperty("status").GetString());
        Assert.Contains("the schedule has not run yet", health.GetProperty("problems").EnumerateArray().Select(p => p.GetString()));
        Assert.Equal(0, health.GetProperty("storage").GetProperty("lostSlots").GetArrayLength());

        // The anonymous health is this process's liveness: nothing of the schedule, the queues or storage's contents.
        var liveness = await ApiAssert.JsonAsync(await api.Client.GetAsync("/api/health"), HttpStatusCode.OK, "Liveness");
        Assert.Equal("ok", liveness.GetProperty("status").GetString());
        Assert.False(liveness.TryGetProperty("queues", out _));

        var accepted = await ApiAssert.JsonAsync(await api.Admin.PostAsync("/api/targets/good/probe", null), HttpStatusCode.Accepted, "ProbeAccepted");
        Assert.StartsWith("good/", accepted.GetProperty("runId").GetString(), StringComparison.Ordinal);
        await api.Get<ProbeScheduler>().ScheduleAsync(CancellationToken.None);

        health = await ApiAssert.JsonAsync(await api.Read.GetAsync("/api/health/detail"), HttpStatusCode.OK, "Health");
        Assert.Equal("ok", health.GetProperty("status").GetString());
        Assert.Equal(1, health.GetProperty("schedule").GetProperty("queued").GetInt32());
        Assert.Equal(2, health.GetProperty("queues").GetProperty("probes").GetProperty("depth").GetInt32());
        Assert.Equal("unknown", health.GetProperty("egress").GetProperty("port25").GetString());
        var depth = await api.Get<ProbeQueue>().GetDepthAsync();
        Assert.Equal(2, depth.Messages);
    }

    [Fact]
    public async Task Events_NewestFirst_FilteredByTargetAndTime_Paged()
    {
        await using var api = await ApiHost.StartAsync();
        await api.AddTargetAsync("shop", "shop.example");
        await api.AddTargetAsync("blog", "blog.example");
        await api.Get<ChangeEventStore>().AddAsync(
        [
            Change("shop", "dmarc", "p=reject", "p=none", 0),
            Change("shop", "spf", "v=spf1 -all", "v=spf1 ~all", 1),
            Change("shop", "mx", "10 mx1", "10 mx2", 2),
        ]);
        await api.Get<ChangeEventStore>().AddAsync([Change("blog", "dmarc", null, "p=none", 1)]);

        var all = await ApiAssert.JsonAsync(await api.Read.GetAsync("/api/events"), HttpStatusCode.OK, "ChangeEventPage");
        Assert.Equal(4, all.GetProperty("items").GetArrayLength());

        var page = await ApiAssert.JsonAsync(await api.Read.GetAsync("/api/events?target=shop&limit=2"), HttpStatusCode.OK, "ChangeEventPage");
        Assert.Equal(["mx", "spf"], page.GetProperty("items").EnumerateArray().Select(e => e.GetProperty("item").GetString()));
        var token = Uri.EscapeDataString(page.GetProperty("continuation").GetString()!);
        var rest = await ApiAssert.JsonAsync(await api.Read.GetAsync($"/api/events?target=shop&limit=2&continuation={token}"), HttpStatusCode.OK, "ChangeEventPage");
        Assert.Equal(["dmarc"], rest.GetProperty("items").EnumerateArray().Select(e => e.GetProperty("item").GetString()));

        var window = await ApiAssert.JsonAsync(await api.Read.GetAsync($"/api/events?target=shop&from={TestClock.Query(MonitorHarness.Slot(1))}&to={TestClock.Query(MonitorHarness.Slot(1))}"), HttpStatusCode.OK, "ChangeEventPage");
        var spf = Assert.Single(window.GetProperty("items").EnumerateArray());
        Assert.Equal("v=spf1 ~all", spf.GetProperty("after").GetString());

        // A token of one query is refused by another (never read as another target's page).
        await ApiAssert.ProblemAsync(await api.Read.GetAsync($"/api/events?target=blog&limit=2&continuation={token}"), HttpStatusCode.BadRequest);
    }

    [Fact]
    public async Task OpenApi_IsServedAnonymously_WithTheReportSchema()
    {
        await using var api = await ApiHost.StartAsync();

        var response = await api.Client.GetAsync("/api/openapi.json");
        Assert.Equal(HttpStatusCode.OK, response.StatusCode);
        var document = await response.Content.ReadFromJsonAsync<System.Text.Json.JsonElement>();
        Assert.Equal("3.1.0", document.GetProperty("openapi").GetString());
        var report = document.GetProperty("components").GetProperty("schemas").GetProperty("Report");
        Assert.Equal("#/components/schemas/ReportTarget", report.GetProperty("properties").GetProperty("target").GetProperty("$ref").GetString());
    }

    [Fact]
    public async Task TestNotifications_SendsThroughEachChannel_AnswersWhatTheReceiverSaid_DeliveredOrNot()
    {
        await using var api = await ApiHost.StartAsync();
        api.Webhook.Script(ScriptedReply.Ok, new ScriptedReply(503, Body: "down for maintenance"));

        var delivered = await ApiAssert.JsonAsync(await api.Admin.PostAsync("/api/notifications/test", null), HttpStatusCode.OK, "NotificationTest");
        var refused = await ApiAssert.JsonAsync(await api.Admin.PostAsync("/api/notifications/test?channel=OPS", null), HttpStatusCode.OK, "NotificationTest");

        var first = Assert.Single(delivered.GetProperty("channels").EnumerateArray().ToList());
        Assert.Equal(("ops", "webhook", "delivered"), (first.GetProperty("name").GetString(), first.GetProperty("type").GetString(), first.GetProperty("outcome").GetString()));
        Assert.Equal("HTTP 200 OK: ok", first.GetProperty("answer").GetString());
        Assert.False(first.TryGetProperty("reason", out _));
        var second = Assert.Single(refused.GetProperty("channels").EnumerateArray().ToList());
        Assert.Equal("refused", second.GetProperty("outcome").GetString());
        Assert.Equal("HTTP 503 (ServiceUnavailable)", second.GetProperty("reason").GetString());
        Assert.Equal("HTTP 503 ServiceUnavailable: down for maintenance", second.GetProperty("answer").GetString());
        // Two test notifications reached the receiver, each named by the id the answer gave; nothing was stored or queued.
        Assert.Equal(
            [first.GetProperty("notificationId").GetString(), second.GetProperty("notificationId").GetString()],
            api.Webhook.Requests.Select(r => r.Header("X-MailHealth-Delivery")));
        Assert.All(api.Webhook.Requests, r => Assert.Contains("\"kind\":\"test\"", r.BodyText, StringComparison.Ordinal));
        Assert.Equal(0, (await api.Get<NotificationQueue>().GetDepthAsync()).Messages);
    }

    private static ChangeEvent Change(string target, string item, string? before, string? after, int slot) =>
        new(target, item, before, after, $"{item} changed", MonitorHarness.Slot(slot), $"{target}/{MonitorHarness.Slot(slot):yyyyMMddTHHmmssZ}");

    private static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");
}
