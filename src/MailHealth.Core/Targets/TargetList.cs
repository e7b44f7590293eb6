using System.Text.Json;
using System.Text.Json.Serialization;

namespace MailHealth.Targets;

/// <summary>
/// A list of targets as JSON (<c>{ "targets": [ { "id": ..., "domain": ..., ... } ] }</c>), the
/// same target objects the HTTP API accepts. Every problem is reported with its path:
/// <c>targets[2].ports[0]: 70000 is not a port</c>.
/// </summary>
public static class TargetList
{
    /// <summary>camelCase, comments and trailing commas allowed (people write these files), unknown fields refused (a typo must not pass for a default).</summary>
    public static JsonSerializerOptions JsonOptions { get; } = new(JsonSerializerDefaults.Web)
    {
        ReadCommentHandling = JsonCommentHandling.Skip,
        AllowTrailingCommas = true,
        UnmappedMemberHandling = JsonUnmappedMemberHandling.Disallow,
        DefaultIgnoreCondition = JsonIgnoreCondition.WhenWritingNull,
    };

    public static TargetListResult Parse(string json)
    {
        ArgumentNullException.ThrowIfNull(json);
        Document? document;
        try
        {
            document = JsonSerializer.Deserialize<Document>(json, JsonOptions);
        }
        catch (JsonException e)
        {
            var path = e.Path is { Length: > 1 } p ? p.TrimStart('$').TrimStart('.') : "(document)";
            return new TargetListResult([], [$"{(path.Length == 0 ? "(document)" : path)}: {FirstLine(e.Message)}"]);
        }

        if (document?.Targets is not { } definitions)
        {
            return new TargetListResult([], ["targets: is required (a list of target objects)"]);
        }

        return Validate(definitions, "targets");
    }

    /// <summary>Validates definitions given under <paramref name="prefix"/> (for messages) and checks that ids are unique.</summary>
    public static TargetListResult Validate(IReadOnlyList<TargetDefinition?> definitions, string prefix)
    {
        ArgumentNullException.ThrowIfNull(definitions);
        var targets = new List<Target>();
        var errors = new List<string>();
        var ids = new Dictionary<string, int>(StringComparer.Ordinal);
        for (var i = 0; i < definitions.Count; i++)
        {
            if (definitions[i] is not { } definition)
            {
                errors.Add($"{prefix}[{i}]: is empty");
                continue;
            }

            var validation = TargetValidator.Validate(definition);
            errors.AddRange(validation.Errors.Select(e => $"{prefix}[{i}].{e}"));
            if (validation.Target is not { } target)
            {
                continue;
            }

            if (ids.TryGetValue(target.Id, out var first))
            {
                errors.Add($"{prefix}[{i}].id: '{target.Id}' is already the id of {prefix}[{first}]");
                continue;
            }

            ids[target.Id] = i;
            targets.Add(target);
        }

        return new TargetListResult(errors.Count == 0 ? targets : [], errors);
    }

    private static string FirstLine(string message)
    {
        var end = message.IndexOf(" Path:", StringComparison.Ordinal);
        return (end > 0 ? message[..end] : message).Split('\n')[0].Trim();
    }

    private sealed class Document
    {
        public List<TargetDefinition?>? Targets { get; set; }
    }
}
