using System.Collections.Concurrent;
using System.Text.Json;
using System.Text.Json.Nodes;
using Json.Schema;

namespace MailHealth.Testing.Schemas;

/// <summary>
/// Validates JSON against the project's published schemas: the report's (docs/report.schema.json)
/// and the OpenAPI document's components, so a test fails when what is served and what is
/// documented part ways.
/// </summary>
public static class SchemaValidator
{
    private static readonly Lazy<JsonSchema> Report = new(() =>
        Build(File.ReadAllText(Path.Combine(Peers.RepoRoot, "docs", "report.schema.json"))));

    private static readonly ConcurrentDictionary<(string Document, string Component), JsonSchema> Components = new();

    /// <summary>The errors of <paramref name="json"/> against the report schema; empty when it is valid.</summary>
    public static IReadOnlyList<string> ReportErrors(string json) => Errors(Report.Value, json);

    /// <summary>The errors of <paramref name="json"/> against component <paramref name="component"/> of the OpenAPI document <paramref name="openApi"/>.</summary>
    public static IReadOnlyList<string> ComponentErrors(string openApi, string component, string json)
    {
        var schema = Components.GetOrAdd((openApi, component), key =>
        {
            // The components as the $defs of one schema whose root is the one asked for.
            var document = JsonNode.Parse(key.Document)!;
            var defs = document["components"]!["schemas"]!.DeepClone();
            var root = new JsonObject
            {
                ["$schema"] = "https://json-schema.org/draft/2020-12/schema",
                ["$defs"] = defs,
                ["$ref"] = "#/$defs/" + key.Component,
            };
            return Build(root.ToJsonString().Replace("#/components/schemas/", "#/$defs/", StringComparison.Ordinal));
        });
        return Errors(schema, json);
    }

    private static JsonSchema Build(string text) =>
        JsonSchema.FromText(text, new BuildOptions { SchemaRegistry = new SchemaRegistry() });

    private static List<string> Errors(JsonSchema schema, string json)
    {
        using var document = JsonDocument.Parse(json);
        var results = schema.Evaluate(document.RootElement, new EvaluationOptions { OutputFormat = OutputFormat.List });
        if (results.IsValid)
        {
            return [];
        }

        return [.. (results.Details ?? []).Where(d => d.Errors is { Count: > 0 })
            .SelectMany(d => d.Errors!.Select(e => $"{d.InstanceLocation}: {e.Key}: {e.Value}"))];
    }
}
