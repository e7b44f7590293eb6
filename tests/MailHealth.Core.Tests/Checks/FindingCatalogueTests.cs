using System.Reflection;
using MailHealth.Checks;

namespace MailHealth.Core.Tests.Checks;

/// <summary>Every code the checks can emit is documented, and codes keep their UPPER_SNAKE shape.</summary>
public sealed class FindingCatalogueTests
{
    private static IReadOnlyList<string> AllCodes() =>
    [
        .. typeof(ICheck).Assembly.GetTypes()
            .Where(t => t.IsAbstract && t.IsSealed && t.Name.EndsWith("FindingCodes", StringComparison.Ordinal))
            .SelectMany(t => t.GetFields(BindingFlags.Public | BindingFlags.Static))
            .Where(f => f.IsLiteral && f.FieldType == typeof(string))
            .Select(f => (string)f.GetRawConstantValue()!)
            .Distinct(),
    ];

    [Fact]
    public void Catalogue_HasCodes()
    {
        Assert.Contains("MX_MISSING", AllCodes());
        Assert.Contains("DNS_TIMEOUT", AllCodes());
    }

    [Fact]
    public void EveryCode_IsUpperSnake()
    {
        Assert.All(AllCodes(), code => Assert.Matches("^[A-Z][A-Z0-9]*(_[A-Z0-9]+)+$", code));
    }

    [Fact]
    public void EveryCode_IsDocumentedInFindingsMd()
    {
        var docs = File.ReadAllText(Path.Combine(Testing.Peers.RepoRoot, "docs", "findings.md"));

        var missing = AllCodes().Where(code => !docs.Contains($"| {code} |", StringComparison.Ordinal)).ToList();

        Assert.True(missing.Count == 0, "not in docs/findings.md: " + string.Join(", ", missing));
    }

    [Fact]
    public void EveryCode_HasAFixInFindingsMd()
    {
        // A row is "| CODE | severity | ... | how to fix |": the last cell must say what to do.
        var rows = File.ReadAllLines(Path.Combine(Testing.Peers.RepoRoot, "docs", "findings.md"))
            .Where(line => line.StartsWith("| ", StringComparison.Ordinal))
            .ToList();

        var withoutFix = AllCodes()
            .Where(code => !rows.Any(row => row.StartsWith($"| {code} |", StringComparison.Ordinal) && HasFix(row)))
            .ToList();

        Assert.True(withoutFix.Count == 0, "no fix in docs/findings.md: " + string.Join(", ", withoutFix));
    }

    private static bool HasFix(string row)
    {
        var cells = row.Trim().Trim('|').Split('|');
        return cells.Length >= 4 && cells[^1].Trim().Length > 0;
    }
}
