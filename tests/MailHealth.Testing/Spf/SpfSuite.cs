using MailHealth.Testing.Dns;
using YamlDotNet.RepresentationModel;

namespace MailHealth.Testing.Spf;

/// <summary>
/// Loads the public RFC 7208 test suite (rfc7208-tests.yml) that eng/peers/spf-suite.sh puts in
/// $MH_STATE/spf-suite/. Each YAML document is a section with its tests and its zone data.
/// </summary>
public static class SpfSuite
{
    private static readonly Lazy<IReadOnlyDictionary<string, SpfSuiteScenario>> Loaded = new(Load);

    public static string FilePath => Path.Combine(Peers.State, "spf-suite", "rfc7208-tests.yml");

    public static IReadOnlyDictionary<string, SpfSuiteScenario> Scenarios => Loaded.Value;

    private static Dictionary<string, SpfSuiteScenario> Load()
    {
        var result = new Dictionary<string, SpfSuiteScenario>(StringComparer.Ordinal);
        if (!File.Exists(FilePath))
        {
            return result;
        }

        var stream = new YamlStream();
        using (var reader = new StreamReader(FilePath))
        {
            stream.Load(reader);
        }

        foreach (var document in stream.Documents)
        {
            var root = (YamlMappingNode)document.RootNode;
            var section = Scalar(root, "description") ?? "";
            var zone = Zone(root.Children.TryGetValue(new YamlScalarNode("zonedata"), out var z) ? (YamlMappingNode)z : null);
            foreach (var (key, value) in ((YamlMappingNode)root.Children[new YamlScalarNode("tests")]).Children)
            {
                var test = (YamlMappingNode)value;
                var name = ((YamlScalarNode)key).Value!;
                var results = test.Children[new YamlScalarNode("result")] switch
                {
                    YamlSequenceNode list => list.Children.Select(n => ((YamlScalarNode)n).Value!).ToList(),
                    YamlScalarNode one => [one.Value!],
                    _ => [],
                };
                var id = $"{section}/{name}";
                result[id] = new SpfSuiteScenario(
                    id, section, Scalar(test, "helo") ?? "", Scalar(test, "host") ?? "", Scalar(test, "mailfrom") ?? "", results, Scalar(test, "explanation"), zone);
            }
        }

        return result;
    }

    // The suite's zone data: SPF-type records are also served as TXT when a name has no TXT of
    // its own (the suite's convention for RFC 4408-era data); "TXT: NONE" only suppresses that.
    private static ScriptedZone Zone(YamlMappingNode? data)
    {
        var zone = new ScriptedZone();
        if (data is null)
        {
            return zone;
        }

        foreach (var (key, value) in data.Children)
        {
            var name = ((YamlScalarNode)key).Value!;
            zone.Touch(name);
            var entries = ((YamlSequenceNode)value).Children;
            var hasTxt = entries.OfType<YamlMappingNode>().Any(e => e.Children.Keys.Any(k => ((YamlScalarNode)k).Value == "TXT"));
            var spf = new List<string[]>();
            foreach (var entry in entries)
            {
                if (entry is YamlScalarNode { Value: "TIMEOUT" })
                {
                    zone.Timeout(name);
                    continue;
                }

                foreach (var (typeNode, data2) in ((YamlMappingNode)entry).Children)
                {
                    var type = ((YamlScalarNode)typeNode).Value!;
                    if (data2 is YamlScalarNode { Value: "TIMEOUT" })
                    {
                        zone.Timeout(name);
                        continue;
                    }

                    switch (type)
                    {
                        case "TXT" when data2 is YamlScalarNode { Value: "NONE" }:
                            break;
                        case "TXT":
                            zone.Add(name, ScriptedRecord.Txt(Strings(data2)));
                            break;
                        case "SPF":
                            zone.Add(name, ScriptedRecord.Spf(Strings(data2)));
                            spf.Add(Strings(data2));
                            break;
                        case "A":
                            zone.Add(name, ScriptedRecord.A(((YamlScalarNode)data2).Value!));
                            break;
                        case "AAAA":
                            zone.Add(name, ScriptedRecord.Aaaa(((YamlScalarNode)data2).Value!));
                            break;
                        case "PTR":
                            zone.Add(name, ScriptedRecord.Ptr(((YamlScalarNode)data2).Value!));
                            break;
                        case "CNAME":
                            zone.Add(name, ScriptedRecord.Cname(((YamlScalarNode)data2).Value!));
                            break;
                        case "MX":
                            var mx = ((YamlSequenceNode)data2).Children.Select(n => ((YamlScalarNode)n).Value!).ToList();
                            zone.Add(name, ScriptedRecord.Mx(int.Parse(mx[0], System.Globalization.CultureInfo.InvariantCulture), mx[1]));
                            break;
                        default:
                            throw new InvalidOperationException($"unknown record type {type} in the suite's zone data");
                    }
                }
            }

            if (!hasTxt)
            {
                foreach (var strings in spf)
                {
                    zone.Add(name, ScriptedRecord.Txt(strings));
                }
            }
        }

        return zone;
    }

    private static string[] Strings(YamlNode node) => node switch
    {
        YamlSequenceNode list => [.. list.Children.Select(n => ((YamlScalarNode)n).Value ?? "")],
        YamlScalarNode one => [one.Value ?? ""],
        _ => [],
    };

    private static string? Scalar(YamlMappingNode node, string key) =>
        node.Children.TryGetValue(new YamlScalarNode(key), out var value) && value is YamlScalarNode scalar ? scalar.Value : null;
}
