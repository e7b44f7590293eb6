using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Serialization;

namespace MailHealth.Targets;

/// <summary>
/// A target as people write it: in <c>--targets FILE</c>, in <c>serve</c>'s configuration, in the
/// body of <c>PUT /api/targets/{id}</c>, and (built from the options) on the command line. Only
/// text and numbers, unvalidated; <see cref="TargetValidator"/> turns it into a <see cref="Target"/>
/// or says, field by field, what is wrong.
/// </summary>
public sealed class TargetDefinition
{
    /// <summary>Slug: lower-case letters, digits and '-', 1-63 characters. Default: from the domain.</summary>
    public string? Id { get; set; }

    public string? Domain { get; set; }

    public List<string>? Hosts { get; set; }

    /// <summary>Numbers or texts: <c>25</c>, <c>"2525:smtp"</c>.</summary>
    [JsonConverter(typeof(NumberOrTextListConverter))]
    public List<string>? Ports { get; set; }

    public List<string>? DkimSelectors { get; set; }

    /// <summary>A BIMI selector to check besides <c>default</c>.</summary>
    public string? BimiSelector { get; set; }

    public List<string>? SendingIps { get; set; }

    /// <summary>Blocklist zones; absent: the default set.</summary>
    public List<string>? Dnsbl { get; set; }

    public bool? RelayTest { get; set; }

    /// <summary>The kinds of check to run (<c>smtp</c>, <c>spf</c>...); absent: every check.</summary>
    public List<string>? Checks { get; set; }

    public bool? Enabled { get; set; }

    public List<string>? Tags { get; set; }

    /// <summary>The definition of a target, for storing it back or showing it (a round trip of <see cref="TargetValidator.Validate"/>).</summary>
    public static TargetDefinition From(Target target)
    {
        ArgumentNullException.ThrowIfNull(target);
        return new TargetDefinition
        {
            Id = target.Id,
            Domain = target.Domain,
            Hosts = [.. target.Hosts],
            Ports = [.. target.Ports.Select(p => p.ToString())],
            DkimSelectors = [.. target.DkimSelectors],
            BimiSelector = target.BimiSelector,
            SendingIps = [.. target.SendingIps.Select(ip => ip.ToString())],
            Dnsbl = target.DnsblZones is null ? null : [.. target.DnsblZones],
            RelayTest = target.RelayTest,
            Checks = target.Checks is null ? null : [.. target.Checks],
            Enabled = target.Enabled,
            Tags = [.. target.Tags],
        };
    }

    /// <summary>Reads a JSON list whose items may be numbers or strings, as strings.</summary>
    private sealed class NumberOrTextListConverter : JsonConverter<List<string>>
    {
        public override List<string>? Read(ref Utf8JsonReader reader, Type typeToConvert, JsonSerializerOptions options)
        {
            if (reader.TokenType != JsonTokenType.StartArray)
            {
                throw new JsonException("expected a list of ports");
            }

            var items = new List<string>();
            while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
            {
                items.Add(reader.TokenType switch
                {
                    JsonTokenType.Number => reader.TryGetInt64(out var number) ? number.ToString(CultureInfo.InvariantCulture) : Encoding.UTF8.GetString(reader.ValueSpan),
                    JsonTokenType.String => reader.GetString()!,
                    _ => throw new JsonException("a port is a number or a text such as \"2525:smtp\""),
                });
            }

            return items;
        }

        public override void Write(Utf8JsonWriter writer, List<string> value, JsonSerializerOptions options)
        {
            writer.WriteStartArray();
            foreach (var item in value)
            {
                writer.WriteStringValue(item);
            }

            writer.WriteEndArray();
        }
    }
}
