using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;

namespace MailHealth.Testing.Api;

/// <summary>
/// How the API answers keys, as one table both hosts are held to: <c>serve</c>
/// (tests/MailHealth.Cli.Tests, over HTTP) and the Functions app (tests/MailHealth.Functions.Tests,
/// its functions invoked as the worker invokes them) send every row and must give the row's status
/// and exactly its body. It lives here, in a project that references neither host, so each host is
/// run by the harness of its own test project and neither project has to build the other host.
/// Every row is independent of the others: they read, replace and probe the one target
/// <see cref="TargetId"/>, which the host's fixture stores first (<see cref="TargetJson"/>).
/// </summary>
public static class ApiKeyTable
{
    public const string TargetId = "keys-table";

    /// <summary>The target every row meets, as the fixture stores it and as <c>GET</c> and <c>PUT</c> answer it.</summary>
    public const string TargetJson = """{"id":"keys-table","domain":"keys-table.example","hosts":[],"ports":["25"],"dkimSelectors":[],"sendingIps":[],"relayTest":false,"enabled":true,"tags":[]}""";

    public const string UnknownKey = "not-a-key-of-this-monitor-0123";

    /// <summary>The report the rows that post one send: a small aggregate report for the table's target's domain.</summary>
    public static string ReportBody { get; } = System.Text.Encoding.UTF8.GetString(Reports.AggregateXml.Bytes(
        Reports.Reporters.Yahoo("keys-table.example", TestClock.Yesterday, Reports.AggregateRows.Mixed("keys-table.example", 3, 2))));

    private const string NoKey = """{"type":"https://tools.ietf.org/html/rfc9110#section-15.5.2","title":"Unauthorized","status":401,"detail":"a key is required: send it in the x-functions-key header (or the code query parameter)"}""";
    private const string BadKey = """{"type":"https://tools.ietf.org/html/rfc9110#section-15.5.2","title":"Unauthorized","status":401,"detail":"the key is not valid"}""";
    private const string ReadOnly = """{"type":"https://tools.ietf.org/html/rfc9110#section-15.5.4","title":"Forbidden","status":403,"detail":"this route changes things and needs an admin key; the key given may only read"}""";

    /// <summary>What a row sends as its credential.</summary>
    public enum Credential
    {
        None,
        UnknownKey,
        UnknownKeyInCode,
        ReadKey,
        ReadKeyInCode,
        AdminKey,
        AdminKeyInCode,

        /// <summary>No key, but the header App Service Authentication sets for a signed-in admin, as any caller can forge it.</summary>
        ForgedSignIn,
    }

    /// <param name="Route">The route's function name (<c>ApiRoutes</c>).</param>
    /// <param name="Body">The expected answer: JSON compared as JSON, or null to compare only the status.</param>
    public sealed record Row(string Name, string Route, string Method, string Path, string? Id, Credential Credential, int Status, string? Body)
    {
        public override string ToString() => Name;
    }

    /// <summary>A request as a host's runner sends it.</summary>
    public sealed record Call(string Method, string Path, string Query, IReadOnlyDictionary<string, string> Headers, string? Body);

    public static IReadOnlyList<Row> Rows { get; } =
    [
        new("no key on a read route", "ListTargets", "GET", "/api/targets", null, Credential.None, 401, NoKey),
        new("an unknown key on a read route", "ListTargets", "GET", "/api/targets", null, Credential.UnknownKey, 401, BadKey),
        new("an unknown key in code on a read route", "GetTarget", "GET", "/api/targets/keys-table", TargetId, Credential.UnknownKeyInCode, 401, BadKey),
        new("a read key on a read route", "GetTarget", "GET", "/api/targets/keys-table", TargetId, Credential.ReadKey, 200, TargetJson),
        new("a read key in code on a read route", "GetTarget", "GET", "/api/targets/keys-table", TargetId, Credential.ReadKeyInCode, 200, TargetJson),
        new("no key on a write route", "DeleteTarget", "DELETE", "/api/targets/keys-table", TargetId, Credential.None, 401, NoKey),
        new("an unknown key on a write route", "RequestProbe", "POST", "/api/targets/keys-table/probe", TargetId, Credential.UnknownKey, 401, BadKey),
        new("a read key on a write route", "PutTarget", "PUT", "/api/targets/keys-table", TargetId, Credential.ReadKey, 403, ReadOnly),
        new("a read key in code on a write route", "DeleteTarget", "DELETE", "/api/targets/keys-table", TargetId, Credential.ReadKeyInCode, 403, ReadOnly),
        new("an admin key on a write route", "PutTarget", "PUT", "/api/targets/keys-table", TargetId, Credential.AdminKey, 200, TargetJson),
        new("an admin key in code on a write route", "RequestProbe", "POST", "/api/targets/keys-table/probe", TargetId, Credential.AdminKeyInCode, 202, null),
        new("an admin key on a read route", "GetTarget", "GET", "/api/targets/keys-table", TargetId, Credential.AdminKey, 200, TargetJson),
        new("a forged sign-in header without platform sign-in", "ListTargets", "GET", "/api/targets", null, Credential.ForgedSignIn, 401, NoKey),
        new("no key on an anonymous route", "GetOpenApi", "GET", "/api/openapi.json", null, Credential.None, 200, null),
        new("no key on posting a report", "PostReport", "POST", "/api/reports", null, Credential.None, 401, NoKey),
        new("a read key on posting a report", "PostReport", "POST", "/api/reports", null, Credential.ReadKey, 403, ReadOnly),
        new("an admin key on posting a report", "PostReport", "POST", "/api/reports", null, Credential.AdminKey, 202, null),
        new("a read key on reading a report input", "GetReportInput", "GET", "/api/reports/" + RouteRequest.InputId, RouteRequest.InputId, Credential.ReadKey, 404, null),
        new("no key on the list of reports", "ListReports", "GET", "/api/reports", null, Credential.None, 401, NoKey),
        new("a read key on the list of reports", "ListReports", "GET", "/api/reports", null, Credential.ReadKey, 200, null),
        new("an unknown key on the receivers' view", "GetDmarc", "GET", "/api/targets/keys-table/dmarc", TargetId, Credential.UnknownKey, 401, BadKey),
        new("a read key on the receivers' view", "GetDmarc", "GET", "/api/targets/keys-table/dmarc", TargetId, Credential.ReadKey, 200, null),
        new("a read key in code on the sources", "GetDmarcSources", "GET", "/api/targets/keys-table/dmarc/sources", TargetId, Credential.ReadKeyInCode, 200, null),
        new("a read key on the TLS reports", "GetTlsReports", "GET", "/api/targets/keys-table/tls-reports", TargetId, Credential.ReadKey, 200, null),
        new("no key on the fleet's DMARC pass", "ListDmarcSummaries", "GET", "/api/dmarc", null, Credential.None, 401, NoKey),
        new("a read key on the fleet's DMARC pass", "ListDmarcSummaries", "GET", "/api/dmarc", null, Credential.ReadKey, 200, null),
    ];

    /// <summary>The rows by name, for a theory.</summary>
    public static IEnumerable<string> Names => Rows.Select(r => r.Name);

    public static Row Named(string name) => Rows.Single(r => r.Name == name);

    /// <summary>What <paramref name="row"/> sends, with the host's own keys.</summary>
    public static Call CallOf(Row row, string readKey, string adminKey)
    {
        ArgumentNullException.ThrowIfNull(row);
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var query = string.Empty;
        switch (row.Credential)
        {
            case Credential.UnknownKey:
                headers["x-functions-key"] = UnknownKey;
                break;
            case Credential.UnknownKeyInCode:
                query = "?code=" + UnknownKey;
                break;
            case Credential.ReadKey:
                headers["x-functions-key"] = readKey;
                break;
            case Credential.ReadKeyInCode:
                query = "?code=" + readKey;
                break;
            case Credential.AdminKey:
                headers["x-functions-key"] = adminKey;
                break;
            case Credential.AdminKeyInCode:
                query = "?code=" + adminKey;
                break;
            case Credential.ForgedSignIn:
                headers["X-MS-CLIENT-PRINCIPAL"] = Principal("mallory@example.test", "MailHealth.Admin");
                headers["X-Requested-With"] = "XMLHttpRequest";
                break;
        }

        var body = row.Method == "PUT" ? """{"domain":"keys-table.example","ports":[25]}""" : row.Route == "PostReport" ? ReportBody : null;
        return new Call(row.Method, row.Path, query, headers, body);
    }

    /// <summary>What differs between the answer and the row (status, problem+json for a refusal, body), or null when nothing does.</summary>
    public static string? Mismatch(Row row, int status, string? contentType, string body)
    {
        ArgumentNullException.ThrowIfNull(row);
        if (status != row.Status)
        {
            return $"{row.Name}: status {status}, expected {row.Status} ({body})";
        }

        if (status >= 400 && contentType?.StartsWith("application/problem+json", StringComparison.Ordinal) != true)
        {
            return $"{row.Name}: content type {contentType}, expected application/problem+json";
        }

        if (row.Body is null)
        {
            return null;
        }

        JsonNode? actual;
        try
        {
            actual = JsonNode.Parse(body);
        }
        catch (JsonException)
        {
            return $"{row.Name}: not JSON: {body}";
        }

        return JsonNode.DeepEquals(actual, JsonNode.Parse(row.Body)) ? null : $"{row.Name}: body {body}, expected {row.Body}";
    }

    /// <summary>The <c>X-MS-CLIENT-PRINCIPAL</c> value App Service Authentication sets for a caller with these Entra app roles.</summary>
    public static string Principal(string name, params string[] roles)
    {
        var claims = new JsonArray(new JsonObject { ["typ"] = "name", ["val"] = name });
        foreach (var role in roles)
        {
            claims.Add(new JsonObject { ["typ"] = "roles", ["val"] = role });
        }

        var principal = new JsonObject { ["auth_typ"] = "aad", ["claims"] = claims, ["name_typ"] = "name", ["role_typ"] = "roles" };
        return Convert.ToBase64String(Encoding.UTF8.GetBytes(principal.ToJsonString()));
    }
}
