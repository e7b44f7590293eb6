using System.Text;
using System.Text.RegularExpressions;

namespace MailHealth.Monitor.Findings;

/// <summary>
/// The "how to fix" text of every finding code, read from docs/findings.md (embedded in this
/// assembly: one source for the documentation, the dashboard and the notifications). Each table
/// there whose first column is <c>code</c> and whose last is the fix contributes one entry per
/// row; a row naming several codes (<c>DNS_TIMEOUT / DNS_SERVFAIL</c>) gives each the same text;
/// a code documented twice keeps its first text.
/// </summary>
public static partial class FindingFixes
{
    /// <summary>The name docs/findings.md is embedded under (MailHealth.Monitor.csproj).</summary>
    public const string Resource = "Findings.findings.md";

    private static readonly Lazy<IReadOnlyDictionary<string, string>> Embedded = new(() =>
    {
        var assembly = typeof(FindingFixes).Assembly;
        using var stream = assembly.GetManifestResourceStream(Resource)
            ?? throw new InvalidOperationException($"resource '{Resource}' is not embedded in {assembly.GetName().Name}");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        return Parse(reader.ReadToEnd());
    });

    /// <summary>The fix text per finding code of the embedded docs/findings.md, parsed once.</summary>
    public static IReadOnlyDictionary<string, string> Catalogue => Embedded.Value;

    /// <summary>Parses the catalogue's Markdown; rows outside a code table are ignored.</summary>
    public static IReadOnlyDictionary<string, string> Parse(string markdown)
    {
        ArgumentNullException.ThrowIfNull(markdown);
        var fixes = new SortedDictionary<string, string>(StringComparer.Ordinal);
        var fixColumn = -1;
        var columns = 0;
        foreach (var rawLine in markdown.Split('\n'))
        {
            var line = rawLine.TrimEnd('\r').Trim();
            if (!line.StartsWith('|'))
            {
                fixColumn = -1;
                continue;
            }

            var cells = Cells(line);
            if (cells.Count > 1 && cells[0].Equals("code", StringComparison.OrdinalIgnoreCase))
            {
                columns = cells.Count;
                fixColumn = cells[^1].Contains("fix", StringComparison.OrdinalIgnoreCase) ? cells.Count - 1 : -1;
                continue;
            }

            if (fixColumn < 0 || cells.Count != columns || !CodeList().IsMatch(cells[0]))
            {
                continue;
            }

            foreach (var code in cells[0].Split('/', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries))
            {
                fixes.TryAdd(code, cells[fixColumn]);
            }
        }

        return fixes;
    }

    private static List<string> Cells(string line)
    {
        // "| a | b |" -> ["a", "b"]; a pipe escaped as \| stays in its cell.
        var cells = new List<string>();
        var current = new StringBuilder();
        for (var i = 1; i < line.Length; i++)
        {
            if (line[i] == '\\' && i + 1 < line.Length && line[i + 1] == '|')
            {
                current.Append('|');
                i++;
            }
            else if (line[i] == '|')
            {
                cells.Add(current.ToString().Trim());
                current.Clear();
            }
            else
            {
                current.Append(line[i]);
            }
        }

        return cells;
    }

    [GeneratedRegex("^[A-Z][A-Z0-9]*(_[A-Z0-9]+)+( / [A-Z][A-Z0-9]*(_[A-Z0-9]+)+)*$")]
    private static partial Regex CodeList();
}
