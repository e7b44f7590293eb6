using System.Text.Json.Nodes;
using System.Text.RegularExpressions;

namespace MailHealth.Functions.Tests.Infra;

/// <summary>
/// The app settings of the function app in the compiled ARM template: the names in its
/// <c>Microsoft.Web/sites/config</c> 'appsettings' resource, whether literal keys of the variables
/// it unites or keys of the objects its expressions create.
/// </summary>
public static partial class TemplateSettings
{
    public static IReadOnlyList<string> Of(JsonNode template)
    {
        var (config, variables) = Find(template) ?? throw new InvalidOperationException("no Microsoft.Web/sites/config 'appsettings' resource in the template");
        var properties = (string)config["properties"]!;
        var names = new SortedSet<string>(Names(properties), StringComparer.Ordinal);
        foreach (Match reference in VariableReference().Matches(properties))
        {
            var variable = variables[reference.Groups[1].Value]!;
            if (variable is JsonObject literal)
            {
                names.UnionWith(literal.Select(p => p.Key));
            }
            else
            {
                names.UnionWith(Names((string)variable!));
            }
        }

        return [.. names];
    }

    /// <summary>The appsettings resource and the variables of the template (or nested deployment) holding it.</summary>
    private static (JsonObject Config, JsonObject Variables)? Find(JsonNode template)
    {
        var resources = template["resources"] switch
        {
            JsonArray array => array.Select(r => r!.AsObject()),
            JsonObject symbolic => symbolic.Select(p => p.Value!.AsObject()),
            _ => [],
        };
        foreach (var resource in resources.ToList())
        {
            if ((string?)resource["type"] == "Microsoft.Web/sites/config" && ((string)resource["name"]!).Contains("appsettings", StringComparison.Ordinal))
            {
                return (resource, template["variables"]?.AsObject() ?? []);
            }

            if (resource["properties"]?["template"] is { } nested && Find(nested) is { } found)
            {
                return found;
            }
        }

        return null;
    }

    /// <summary>String literals of an ARM expression shaped like a setting name: with a <c>__</c> path, or UPPER_SNAKE.</summary>
    private static IEnumerable<string> Names(string expression) =>
        Literal().Matches(expression).Select(m => m.Groups[1].Value).Where(s => s.Contains("__", StringComparison.Ordinal) || UpperSnake().IsMatch(s));

    [GeneratedRegex(@"variables\('([^']+)'\)")]
    private static partial Regex VariableReference();

    [GeneratedRegex(@"'((?:[^']|'')*)'")]
    private static partial Regex Literal();

    [GeneratedRegex(@"^[A-Z][A-Z0-9]*(?:_[A-Z0-9]+)+$")]
    private static partial Regex UpperSnake();
}
