using System.Globalization;
using System.Text.RegularExpressions;

namespace MailHealth.Cli.Tests.Serve;

/// <summary>Series of a Prometheus text exposition, for asserting on one by its name and labels.</summary>
internal sealed partial class PrometheusText(string text)
{
    private readonly IReadOnlyList<(string Name, Dictionary<string, string> Labels, double Value)> series = Parse(text);

    public string Text => text;

    /// <summary>The value of the one series with this name and (at least) these labels; null when there is none.</summary>
    public double? Value(string name, params (string Name, string Value)[] labels)
    {
        var matches = series.Where(s => s.Name == name && labels.All(l => s.Labels.GetValueOrDefault(l.Name) == l.Value)).ToList();
        Assert.True(matches.Count <= 1, $"{matches.Count} series {name} match");
        return matches.Count == 0 ? null : matches[0].Value;
    }

    public IEnumerable<Dictionary<string, string>> LabelsOf(string name) => series.Where(s => s.Name == name).Select(s => s.Labels);

    private static List<(string, Dictionary<string, string>, double)> Parse(string text)
    {
        var result = new List<(string, Dictionary<string, string>, double)>();
        foreach (var line in text.Split('\n'))
        {
            var match = SeriesLine().Match(line);
            if (!match.Success)
            {
                continue;
            }

            var labels = LabelPair().Matches(match.Groups["labels"].Value).ToDictionary(m => m.Groups[1].Value, m => m.Groups[2].Value);
            result.Add((match.Groups["name"].Value, labels, double.Parse(match.Groups["value"].Value, CultureInfo.InvariantCulture)));
        }

        return result;
    }

    [GeneratedRegex(@"^(?<name>[a-zA-Z_:][a-zA-Z0-9_:]*)(\{(?<labels>.*)\})? (?<value>\S+)$")]
    private static partial Regex SeriesLine();

    [GeneratedRegex("""([a-zA-Z_][a-zA-Z0-9_]*)="((?:[^"\\]|\\.)*)" """, RegexOptions.IgnorePatternWhitespace)]
    private static partial Regex LabelPair();
}
