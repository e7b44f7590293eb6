using System.Text;
using System.Text.Json;
using MailHealth.Monitor.Api;

namespace MailHealth.Testing.Api;

/// <summary>
/// What callers may send that they should not, as one table both hosts are held to: <c>serve</c>
/// over HTTP (tests/MailHealth.Cli.Tests) and the Functions app's functions
/// (tests/MailHealth.Functions.Tests), each with the admin key. Every answer is a problem document
/// with the row's status (400 naming the field, 404, 413), never a 500, and storage is left as it
/// was: the one target <see cref="TargetId"/> the fixture stores, no probe queued, no report input kept.
/// </summary>
public static class ApiHostileInputTable
{
    public const string TargetId = "shop";

    private static readonly string Huge = new('a', 5000);

    /// <param name="Target">The path and query, as sent.</param>
    /// <param name="Field">A field the problem's <c>errors</c> must name, or null.</param>
    public sealed record Row(string Method, string Target, string? Body, int Status, string? Field)
    {
        /// <summary>The path without its query.</summary>
        public string Path => Target.Split('?', 2)[0];

        /// <summary>The query with its <c>?</c>, or empty.</summary>
        public string Query => Target.Contains('?', StringComparison.Ordinal) ? "?" + Target.Split('?', 2)[1] : "";

        // Short enough for a test name; the row's index keeps names unique.
        public override string ToString() => $"{Method} {(Target.Length > 80 ? Target[..80] + "..." : Target)}";
    }

    public static IReadOnlyList<Row> Rows { get; } =
    [
        // Ids: case, quotes and OData operators, slashes, control characters, length.
        new("GET", "/api/targets/SHOP", null, 400, "id"),
        new("GET", "/api/targets/shop'%20or%20PartitionKey%20ne%20'", null, 400, "id"),
        new("GET", "/api/targets/a%27b/status", null, 400, "id"),
        new("GET", "/api/targets/-shop/history", null, 400, "id"),
        new("GET", "/api/targets/sh%01op/report", null, 400, "id"),
        new("GET", "/api/targets/" + new string('a', 64), null, 400, "id"),
        new("GET", "/api/targets/" + Huge, null, 400, "id"),
        new("DELETE", "/api/targets/shop%20eq%20shop", null, 400, "id"),
        new("POST", "/api/targets/x*/probe", null, 400, "id"),
        new("POST", "/api/alerts/not-an-alert/ack", null, 400, "id"),
        new("POST", "/api/alerts/shop.TLS_CERT_EXPIRED.0123456789ABCDEF/ack", null, 400, "id"),
        new("POST", "/api/alerts/shop.TLS'.0123456789abcdef/ack", null, 400, "id"),

        // Unknown ids and paths.
        new("GET", "/api/targets/nope", null, 404, null),
        new("GET", "/api/targets/nope/status", null, 404, null),
        new("GET", "/api/targets/nope/history", null, 404, null),
        new("GET", "/api/targets/nope/report", null, 404, null),
        new("DELETE", "/api/targets/nope", null, 404, null),
        new("POST", "/api/targets/nope/probe", null, 404, null),
        new("POST", "/api/alerts/shop.TLS_CERT_EXPIRED.0123456789abcdef/ack", null, 404, null),
        new("GET", "/api/alerts?target=nope", null, 404, null),
        new("GET", "/api/events?target=nope", null, 404, null),
        new("POST", "/api/notifications/test?channel=nope", null, 404, null),
        new("GET", "/api/nothing-here", null, 404, null),

        // Query parameters: unknown, repeated, out of range, wrong type.
        new("GET", "/api/targets?filter=PartitionKey%20ne%20''", null, 400, "filter"),
        new("GET", "/api/targets/shop/status?limit=5", null, 400, "limit"),
        new("GET", "/api/health?verbose=1", null, 400, "verbose"),
        new("GET", "/api/health/detail?verbose=1", null, 400, "verbose"),
        new("GET", "/api/targets?limit=1&limit=2", null, 400, "limit"),
        new("GET", "/api/targets?limit=0", null, 400, "limit"),
        new("GET", "/api/status?limit=0", null, 400, "limit"),
        new("GET", "/api/status?target=shop", null, 400, "target"),
        new("GET", "/api/status?continuation=abc", null, 400, "continuation"),
        new("GET", "/api/targets?limit=-1", null, 400, "limit"),
        new("GET", "/api/targets?limit=1001", null, 400, "limit"),
        new("GET", "/api/targets?limit=1e3", null, 400, "limit"),
        new("GET", "/api/targets?limit=99999999999999999999", null, 400, "limit"),
        new("GET", "/api/targets?limit=", null, 400, "limit"),
        new("GET", "/api/alerts?state=closed", null, 400, "state"),
        new("GET", "/api/alerts?target=Shop'", null, 400, "target"),
        new("GET", "/api/targets/shop/history?check=" + Huge, null, 400, "check"),
        new("GET", "/api/targets/shop/history?check=smtp%00", null, 400, "check"),
        new("POST", "/api/notifications/test?channel=no%20such", null, 400, "channel"),
        new("POST", "/api/notifications/test?channel=", null, 400, "channel"),
        new("POST", "/api/notifications/test?channel=ops&channel=ops", null, 400, "channel"),
        new("POST", "/api/notifications/test?to=ops", null, 400, "to"),

        // Times: not ISO-8601, without a zone, absurd, reversed.
        new("GET", "/api/targets/shop/history?from=yesterday", null, 400, "from"),
        new("GET", "/api/targets/shop/history?from=2026-13-01", null, 400, "from"),
        new("GET", "/api/targets/shop/history?from=2026-11-28T10:00:00", null, 400, "from"),
        new("GET", "/api/targets/shop/history?to=1999-12-31T00:00:00Z", null, 400, "to"),
        new("GET", "/api/targets/shop/history?from=9999-01-01", null, 400, "from"),
        new("GET", "/api/events?from=2026-11-29&to=2026-11-28", null, 400, "to"),

        // Continuation tokens: garbage, forged, oversized.
        new("GET", "/api/targets?continuation=abc", null, 400, "continuation"),
        new("GET", "/api/targets/shop/history?continuation=" + Convert.ToBase64String(Encoding.UTF8.GetBytes("v1.0000000000000000.1!2!3")), null, 400, "continuation"),
        new("GET", "/api/alerts?continuation=djEuMDAwMDAwMDAwMDAwMDAwMC4xITIhMw", null, 400, "continuation"),
        new("GET", "/api/events?continuation=" + Huge, null, 400, "continuation"),

        // Bodies: not JSON, wrong shapes and types, invalid targets, too large.
        new("PUT", "/api/targets/new", "hello", 400, "body"),
        new("PUT", "/api/targets/new", "", 400, "body"),
        new("PUT", "/api/targets/new", "null", 400, "body"),
        new("PUT", "/api/targets/new", "[]", 400, "body"),
        new("PUT", "/api/targets/new", """{"domain": 5}""", 400, "body.domain"),
        new("PUT", "/api/targets/new", """{"domain": "new.example", "ports": {"a": 1}}""", 400, "body.ports"),
        new("PUT", "/api/targets/new", """{"domain": "new.example", "enabled": "yes"}""", 400, "body.enabled"),
        new("PUT", "/api/targets/new", """{"domain": "new.example", "colour": "red"}""", 400, "body.colour"),
        new("PUT", "/api/targets/new", """{"domain": "new.example", "ports": [70000]}""", 400, "body.ports[0]"),
        new("PUT", "/api/targets/new", """{"domain": "not a domain"}""", 400, "body.domain"),
        new("PUT", "/api/targets/new", """{"domain": "new.example", "checks": ["smtp", "everything"]}""", 400, "body.checks[1]"),
        new("PUT", "/api/targets/new", """{"domain": "new.example", "checks": []}""", 400, "body.checks"),
        new("PUT", "/api/targets/new", """{"hosts": ["mx.example"]}""", 400, "body.domain"),
        new("PUT", "/api/targets/new", """{"id": "other", "domain": "new.example"}""", 400, "body.id"),
        new("PUT", "/api/targets/new", """{"domain": "new.example", "tags": [""" + string.Join(',', Enumerable.Repeat("\"t\"", 20000)) + "]}", 413, null),
        new("PUT", "/api/targets/new", "{\"domain\": \"new.example\"", 400, "body"),
        new("POST", "/api/alerts/shop.TLS_CERT_EXPIRED.0123456789abcdef/ack", """{"by": 5}""", 400, "body.by"),
        new("POST", "/api/alerts/shop.TLS_CERT_EXPIRED.0123456789abcdef/ack", """{"by": ""}""", 400, "body.by"),
        new("POST", "/api/alerts/shop.TLS_CERT_EXPIRED.0123456789abcdef/ack", """{"who": "me"}""", 400, "body.who"),

        // Report inputs: no body, a parameter the route does not take, ids that are no SHA-256, one never received.
        new("POST", "/api/reports", "", 400, "body"),
        new("POST", "/api/reports?kind=dmarc", "<feedback/>", 400, "kind"),
        new("GET", "/api/reports/not-an-input", null, 400, "id"),
        new("GET", "/api/reports/" + RouteRequest.InputId.ToUpperInvariant(), null, 400, "id"),
        new("GET", "/api/reports/" + RouteRequest.InputId + "'%20or%20''='", null, 400, "id"),
        new("GET", "/api/reports/" + RouteRequest.InputId, null, 404, null),

        // Receivers' view: unknown targets, days that are no days, ranges reversed or too long, parameters of no such route.
        new("GET", "/api/targets/nope/dmarc", null, 404, null),
        new("GET", "/api/targets/nope/dmarc/sources", null, 404, null),
        new("GET", "/api/targets/nope/tls-reports", null, 404, null),
        new("GET", "/api/targets/SHOP/dmarc", null, 400, "id"),
        new("GET", "/api/targets/shop'/tls-reports", null, 400, "id"),
        new("GET", "/api/targets/shop/dmarc?from=2026-11-28T00:00:00Z", null, 400, "from"),
        new("GET", "/api/targets/shop/dmarc?to=2026-02-30", null, 400, "to"),
        new("GET", "/api/targets/shop/dmarc?from=1999-12-31", null, 400, "from"),
        new("GET", "/api/targets/shop/dmarc?from=2026-01-01&to=2026-12-31", null, 400, "to"),
        new("GET", "/api/targets/shop/dmarc?limit=0", null, 400, "limit"),
        new("GET", "/api/targets/shop/dmarc/sources?limit=5", null, 400, "limit"),
        new("GET", "/api/targets/shop/tls-reports?from=2026-11-29&to=2026-11-28", null, 400, "to"),
        new("GET", "/api/targets/shop/tls-reports?from=yesterday", null, 400, "from"),
        new("GET", "/api/reports?status=lost", null, 400, "status"),
        new("GET", "/api/reports?status=Stored", null, 400, "status"),
        new("GET", "/api/reports?domain=not%20a%20domain", null, 400, "domain"),
        new("GET", "/api/reports?domain=", null, 400, "domain"),
        new("GET", "/api/reports?from=2024-01-01&to=2026-01-01", null, 400, "to"),
        new("GET", "/api/reports?from=2026-11-29&to=2026-11-28", null, 400, "to"),
        new("GET", "/api/reports?continuation=abc", null, 400, "continuation"),
        new("GET", "/api/reports?continuation=" + Convert.ToBase64String(Encoding.UTF8.GetBytes("v1.0000000000000000.202611|")), null, 400, "continuation"),
        new("GET", "/api/dmarc?continuation=abc", null, 400, "continuation"),
        new("GET", "/api/dmarc?target=shop", null, 400, "target"),
    ];

    /// <summary>The rows by index, for a theory (a row's text can be too long to be its own name).</summary>
    public static IEnumerable<int> Indexes => Enumerable.Range(0, Rows.Count);

    /// <summary>
    /// The route a host sends the row's path to, with its <c>{id}</c> decoded as the host's routing
    /// decodes it; null for a path no route has (the Functions app's catch-all answers those).
    /// </summary>
    public static (ApiRoute Route, string? Id)? RouteOf(Row row)
    {
        ArgumentNullException.ThrowIfNull(row);
        var segments = row.Path.Split('/');
        foreach (var route in ApiRoutes.All.Where(r => r.Method == row.Method))
        {
            var template = route.Path.Split('/');
            if (template.Length != segments.Length)
            {
                continue;
            }

            string? id = null;
            var matches = true;
            for (var i = 0; i < template.Length && matches; i++)
            {
                if (template[i] == "{id}")
                {
                    id = Uri.UnescapeDataString(segments[i]);
                }
                else
                {
                    matches = string.Equals(template[i], segments[i], StringComparison.Ordinal);
                }
            }

            if (matches)
            {
                return (route, id);
            }
        }

        return null;
    }

    /// <summary>What differs between the answer and the row (status, problem+json, the field named), or null when nothing does.</summary>
    public static string? Mismatch(Row row, int status, string? contentType, string body)
    {
        ArgumentNullException.ThrowIfNull(row);
        if (status != row.Status)
        {
            return $"{row}: status {status}, expected {row.Status} ({body})";
        }

        if (contentType?.StartsWith("application/problem+json", StringComparison.Ordinal) != true)
        {
            return $"{row}: content type {contentType}, expected application/problem+json";
        }

        if (row.Field is null)
        {
            return null;
        }

        using var problem = JsonDocument.Parse(body);
        var fields = problem.RootElement.TryGetProperty("errors", out var errors) ? errors.EnumerateObject().Select(e => e.Name).ToList() : [];
        return fields.Contains(row.Field) ? null : $"{row}: the problem names [{string.Join(", ", fields)}], not {row.Field}";
    }
}
