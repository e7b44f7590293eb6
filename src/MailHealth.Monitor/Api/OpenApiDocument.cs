using System.Reflection;
using System.Text.Json.Nodes;
using Microsoft.AspNetCore.Http;

namespace MailHealth.Monitor.Api;

/// <summary>
/// The OpenAPI 3.1 document of the API (<c>GET /api/openapi.json</c>): written by hand next to
/// the handlers (Api/openapi.json) so both hosts serve the same one, with the report's JSON
/// Schema (docs/report.schema.json, the one the CLI's output is tested against) put in as the
/// <c>Report</c> component rather than kept twice.
/// </summary>
public sealed class OpenApiDocument
{
    private readonly Lazy<string> _json = new(Build);

    public string Json => _json.Value;

    public IResult Result() => Results.Text(Json, "application/json; charset=utf-8");

    /// <summary>The report's JSON Schema as shipped in docs/.</summary>
    public static string ReportSchema => Resource("report.schema.json");

    private static string Build()
    {
        var document = JsonNode.Parse(Resource("openapi.json"))!.AsObject();
        var report = JsonNode.Parse(ReportSchema)!.AsObject();
        // A component is a schema inside the document: its own $schema and $id do not belong there.
        report.Remove("$schema");
        report.Remove("$id");
        var schemas = document["components"]!["schemas"]!.AsObject();
        foreach (var (name, definition) in (report["$defs"]?.AsObject() ?? []).ToList())
        {
            schemas["Report" + name] = definition!.DeepClone();
        }

        report.Remove("$defs");
        schemas["Report"] = report;
        var text = document.ToJsonString();
        return text.Replace("#/$defs/", "#/components/schemas/Report", StringComparison.Ordinal);
    }

    private static string Resource(string name)
    {
        var assembly = typeof(OpenApiDocument).Assembly;
        var resource = assembly.GetManifestResourceNames().Single(n => n.EndsWith("." + name, StringComparison.Ordinal));
        using var stream = assembly.GetManifestResourceStream(resource)!;
        using var reader = new StreamReader(stream);
        return reader.ReadToEnd();
    }
}
