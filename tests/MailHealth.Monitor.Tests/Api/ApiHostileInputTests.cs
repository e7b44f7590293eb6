using System.Net;
using System.Text;
using MailHealth.Storage.Queues;
using MailHealth.Storage.Targets;

namespace MailHealth.Monitor.Tests.Api;

/// <summary>
/// What callers may send that they should not: every answer is a problem document with the right
/// status (400 naming the field, 404, 413), never a 500, and storage is left exactly as it was.
/// </summary>
public sealed class ApiHostileInputTests(ApiHostFixture fixture) : IClassFixture<ApiHostFixture>
{
    private static readonly string Huge = new('a', 5000);

    public static TheoryData<string, string, string?, HttpStatusCode, string?> Cases => new()
    {
        // Ids: case, quotes and OData operators, slashes, control characters, length.
        { "GET", "/api/targets/SHOP", null, HttpStatusCode.BadRequest, "id" },
        { "GET", "/api/targets/shop'%20or%20PartitionKey%20ne%20'", null, HttpStatusCode.BadRequest, "id" },
        { "GET", "/api/targets/a%27b/status", null, HttpStatusCode.BadRequest, "id" },
        { "GET", "/api/targets/-shop/history", null, HttpStatusCode.BadRequest, "id" },
        { "GET", "/api/targets/sh%01op/report", null, HttpStatusCode.BadRequest, "id" },
        { "GET", "/api/targets/" + new string('a', 64), null, HttpStatusCode.BadRequest, "id" },
        { "GET", "/api/targets/" + Huge, null, HttpStatusCode.BadRequest, "id" },
        { "DELETE", "/api/targets/shop%20eq%20shop", null, HttpStatusCode.BadRequest, "id" },
        { "POST", "/api/targets/x*/probe", null, HttpStatusCode.BadRequest, "id" },
        { "POST", "/api/alerts/not-an-alert/ack", null, HttpStatusCode.BadRequest, "id" },
        { "POST", "/api/alerts/shop.TLS_CERT_EXPIRED.0123456789ABCDEF/ack", null, HttpStatusCode.BadRequest, "id" },
        { "POST", "/api/alerts/shop.TLS'.0123456789abcdef/ack", null, HttpStatusCode.BadRequest, "id" },

        // Unknown ids.
        { "GET", "/api/targets/nope", null, HttpStatusCode.NotFound, null },
        { "GET", "/api/targets/nope/status", null, HttpStatusCode.NotFound, null },
        { "GET", "/api/targets/nope/history", null, HttpStatusCode.NotFound, null },
        { "GET", "/api/targets/nope/report", null, HttpStatusCode.NotFound, null },
        { "DELETE", "/api/targets/nope", null, HttpStatusCode.NotFound, null },
        { "POST", "/api/targets/nope/probe", null, HttpStatusCode.NotFound, null },
        { "POST", "/api/alerts/shop.TLS_CERT_EXPIRED.0123456789abcdef/ack", null, HttpStatusCode.NotFound, null },
        { "GET", "/api/alerts?target=nope", null, HttpStatusCode.NotFound, null },
        { "GET", "/api/events?target=nope", null, HttpStatusCode.NotFound, null },
        { "POST", "/api/notifications/test?channel=nope", null, HttpStatusCode.NotFound, null },
        { "GET", "/api/nothing-here", null, HttpStatusCode.NotFound, null },

        // Query parameters: unknown, repeated, out of range, wrong type.
        { "GET", "/api/targets?filter=PartitionKey%20ne%20''", null, HttpStatusCode.BadRequest, "filter" },
        { "GET", "/api/targets/shop/status?limit=5", null, HttpStatusCode.BadRequest, "limit" },
        { "GET", "/api/health?verbose=1", null, HttpStatusCode.BadRequest, "verbose" },
        { "GET", "/api/targets?limit=1&limit=2", null, HttpStatusCode.BadRequest, "limit" },
        { "GET", "/api/targets?limit=0", null, HttpStatusCode.BadRequest, "limit" },
        { "GET", "/api/status?limit=0", null, HttpStatusCode.BadRequest, "limit" },
        { "GET", "/api/status?target=shop", null, HttpStatusCode.BadRequest, "target" },
        { "GET", "/api/status?continuation=abc", null, HttpStatusCode.BadRequest, "continuation" },
        { "GET", "/api/targets?limit=-1", null, HttpStatusCode.BadRequest, "limit" },
        { "GET", "/api/targets?limit=1001", null, HttpStatusCode.BadRequest, "limit" },
        { "GET", "/api/targets?limit=1e3", null, HttpStatusCode.BadRequest, "limit" },
        { "GET", "/api/targets?limit=99999999999999999999", null, HttpStatusCode.BadRequest, "limit" },
        { "GET", "/api/targets?limit=", null, HttpStatusCode.BadRequest, "limit" },
        { "GET", "/api/alerts?state=closed", null, HttpStatusCode.BadRequest, "state" },
        { "GET", "/api/alerts?target=Shop'", null, HttpStatusCode.BadRequest, "target" },
        { "GET", "/api/targets/shop/history?check=" + Huge, null, HttpStatusCode.BadRequest, "check" },
        { "GET", "/api/targets/shop/history?check=smtp%00", null, HttpStatusCode.BadRequest, "check" },
        { "POST", "/api/notifications/test?channel=no%20such", null, HttpStatusCode.BadRequest, "channel" },
        { "POST", "/api/notifications/test?channel=", null, HttpStatusCode.BadRequest, "channel" },
        { "POST", "/api/notifications/test?channel=ops&channel=ops", null, HttpStatusCode.BadRequest, "channel" },
        { "POST", "/api/notifications/test?to=ops", null, HttpStatusCode.BadRequest, "to" },

        // Times: not ISO-8601, without a zone, absurd, reversed.
        { "GET", "/api/targets/shop/history?from=yesterday", null, HttpStatusCode.BadRequest, "from" },
        { "GET", "/api/targets/shop/history?from=2026-13-01", null, HttpStatusCode.BadRequest, "from" },
        { "GET", "/api/targets/shop/history?from=2026-11-28T10:00:00", null, HttpStatusCode.BadRequest, "from" },
        { "GET", "/api/targets/shop/history?to=1999-12-31T00:00:00Z", null, HttpStatusCode.BadRequest, "to" },
        { "GET", "/api/targets/shop/history?from=9999-01-01", null, HttpStatusCode.BadRequest, "from" },
        { "GET", "/api/events?from=2026-11-29&to=2026-11-28", null, HttpStatusCode.BadRequest, "to" },

        // Continuation tokens: garbage, forged, oversized.
        { "GET", "/api/targets?continuation=abc", null, HttpStatusCode.BadRequest, "continuation" },
        { "GET", "/api/targets/shop/history?continuation=" + Convert.ToBase64String(Encoding.UTF8.GetBytes("v1.0000000000000000.1!2!3")), null, HttpStatusCode.BadRequest, "continuation" },
        { "GET", "/api/alerts?continuation=djEuMDAwMDAwMDAwMDAwMDAwMC4xITIhMw", null, HttpStatusCode.BadRequest, "continuation" },
        { "GET", "/api/events?continuation=" + Huge, null, HttpStatusCode.BadRequest, "continuation" },

        // Bodies: not JSON, wrong shapes and types, invalid targets, too large.
        { "PUT", "/api/targets/new", "hello", HttpStatusCode.BadRequest, "body" },
        { "PUT", "/api/targets/new", "", HttpStatusCode.BadRequest, "body" },
        { "PUT", "/api/targets/new", "null", HttpStatusCode.BadRequest, "body" },
        { "PUT", "/api/targets/new", "[]", HttpStatusCode.BadRequest, "body" },
        { "PUT", "/api/targets/new", """{"domain": 5}""", HttpStatusCode.BadRequest, "body.domain" },
        { "PUT", "/api/targets/new", """{"domain": "new.example", "ports": {"a": 1}}""", HttpStatusCode.BadRequest, "body.ports" },
        { "PUT", "/api/targets/new", """{"domain": "new.example", "enabled": "yes"}""", HttpStatusCode.BadRequest, "body.enabled" },
        { "PUT", "/api/targets/new", """{"domain": "new.example", "colour": "red"}""", HttpStatusCode.BadRequest, "body.colour" },
        { "PUT", "/api/targets/new", """{"domain": "new.example", "ports": [70000]}""", HttpStatusCode.BadRequest, "body.ports[0]" },
        { "PUT", "/api/targets/new", """{"domain": "not a domain"}""", HttpStatusCode.BadRequest, "body.domain" },
        { "PUT", "/api/targets/new", """{"domain": "new.example", "checks": ["smtp", "everything"]}""", HttpStatusCode.BadRequest, "body.checks[1]" },
        { "PUT", "/api/targets/new", """{"domain": "new.example", "checks": []}""", HttpStatusCode.BadRequest, "body.checks" },
        { "PUT", "/api/targets/new", """{"hosts": ["mx.example"]}""", HttpStatusCode.BadRequest, "body.domain" },
        { "PUT", "/api/targets/new", """{"id": "other", "domain": "new.example"}""", HttpStatusCode.BadRequest, "body.id" },
        { "PUT", "/api/targets/new", """{"domain": "new.example", "tags": [""" + string.Join(',', Enumerable.Repeat("\"t\"", 20000)) + "]}", HttpStatusCode.RequestEntityTooLarge, null },
        { "PUT", "/api/targets/new", "{\"domain\": \"new.example\"", HttpStatusCode.BadRequest, "body" },
        { "POST", "/api/alerts/shop.TLS_CERT_EXPIRED.0123456789abcdef/ack", """{"by": 5}""", HttpStatusCode.BadRequest, "body.by" },
        { "POST", "/api/alerts/shop.TLS_CERT_EXPIRED.0123456789abcdef/ack", """{"by": ""}""", HttpStatusCode.BadRequest, "body.by" },
        { "POST", "/api/alerts/shop.TLS_CERT_EXPIRED.0123456789abcdef/ack", """{"who": "me"}""", HttpStatusCode.BadRequest, "body.who" },
    };

    [Theory]
    [MemberData(nameof(Cases))]
    public async Task HostileInput_IsAProblemWithItsStatus_AndChangesNothing(string method, string path, string? body, HttpStatusCode expected, string? field)
    {
        var api = fixture.Api;
        using var request = new HttpRequestMessage(new HttpMethod(method), path);
        if (body is not null)
        {
            request.Content = new StringContent(body, Encoding.UTF8, "application/json");
        }

        var response = await api.Admin.SendAsync(request);

        var problem = await ApiAssert.ProblemAsync(response, expected);
        if (field is not null)
        {
            Assert.Contains(field, ApiAssert.Fields(problem));
        }

        var targets = await api.Get<TargetStore>().ListAsync();
        Assert.Equal(["shop"], targets.Items.Select(t => t.Target.Id));
        Assert.True(targets.Items[0].Target.Enabled);
        Assert.Equal(0, (await api.Get<ProbeQueue>().GetDepthAsync()).Messages);
        Assert.Empty(api.Webhook.Requests);
    }

    [Fact]
    public async Task NulInThePath_IsRefusedByTheServerItself()
    {
        // Kestrel refuses a NUL in the path before any route runs: a bare 400, no handler, no storage.
        var response = await fixture.Api.Admin.GetAsync("/api/targets/sh%00op");

        Assert.Equal(HttpStatusCode.BadRequest, response.StatusCode);
        Assert.NotNull(await fixture.Api.Get<TargetStore>().GetAsync("shop"));
    }
}
