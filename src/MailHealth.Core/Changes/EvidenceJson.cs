using System.Text.Json;
using MailHealth.Checks;
using MailHealth.Reports;

namespace MailHealth.Changes;

/// <summary>
/// Reads a check's evidence in its JSON shape, the one form it has both fresh from a check (typed
/// objects, anonymous types, dictionaries) and read back from storage (JsonElement).
/// </summary>
internal static class EvidenceJson
{
    public static JsonElement? Get(CheckResult check, string key)
    {
        if (!check.Evidence.TryGetValue(key, out var value) || value is null)
        {
            return null;
        }

        var element = value as JsonElement? ?? JsonSerializer.SerializeToElement(value, value.GetType(), ReportJson.Options);
        return element.ValueKind is JsonValueKind.Null or JsonValueKind.Undefined ? null : element;
    }

    public static string? String(CheckResult check, string key) => Get(check, key) is { ValueKind: JsonValueKind.String } e ? e.GetString() : null;

    public static bool? Bool(CheckResult check, string key) => Get(check, key) is { ValueKind: JsonValueKind.True or JsonValueKind.False } e ? e.GetBoolean() : null;

    public static IReadOnlyList<JsonElement>? Array(CheckResult check, string key) =>
        Get(check, key) is { ValueKind: JsonValueKind.Array } e ? [.. e.EnumerateArray()] : null;

    public static IReadOnlyList<string>? Strings(CheckResult check, string key) =>
        Array(check, key)?.Where(e => e.ValueKind == JsonValueKind.String).Select(e => e.GetString()!).ToList();

    public static string? Property(JsonElement element, string name) =>
        element.ValueKind == JsonValueKind.Object && element.TryGetProperty(name, out var p)
            ? p.ValueKind switch
            {
                JsonValueKind.String => p.GetString(),
                JsonValueKind.Number or JsonValueKind.True or JsonValueKind.False => p.GetRawText(),
                _ => null,
            }
            : null;
}
