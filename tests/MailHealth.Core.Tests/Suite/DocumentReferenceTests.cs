using System.Text.RegularExpressions;
using MailHealth.Testing;

namespace MailHealth.Core.Tests.Suite;

/// <summary>
/// A comment that cites a document cites one the repository holds (docs/architecture.md for the
/// design as built, docs/findings.md for the codes...): a reader of the code must be able to open it.
/// </summary>
public sealed partial class DocumentReferenceTests
{
    [Fact]
    public void CommentsInTheSources_CiteDocumentsOfTheRepository()
    {
        var missing = new List<string>();
        foreach (var file in Sources())
        {
            var lines = File.ReadAllLines(file);
            for (var i = 0; i < lines.Length; i++)
            {
                var comment = lines[i].IndexOf("//", StringComparison.Ordinal);
                if (comment < 0)
                {
                    continue;
                }

                foreach (Match cited in Document().Matches(lines[i][comment..]))
                {
                    if (!File.Exists(Path.Combine(Peers.RepoRoot, cited.Value)))
                    {
                        missing.Add($"{Path.GetRelativePath(Peers.RepoRoot, file)}:{i + 1}: {cited.Value}");
                    }
                }
            }
        }

        Assert.True(missing.Count == 0, "cited, not in the repository:\n" + string.Join("\n", missing));
    }

    [Theory]
    [InlineData("/// The alert state machine (docs/alerts.md).", "docs/alerts.md")]
    [InlineData("// with the severities of FINDINGS.md: what matters", "FINDINGS.md")]
    [InlineData("/// what the API answers (docs/api/errors.md)", "docs/api/errors.md")]
    public void Document_FindsACitedPath(string line, string path) => Assert.Equal(path, Document().Match(line).Value);

    private static IEnumerable<string> Sources() =>
        new[] { "src", "tests", "bench" }
            .Select(folder => Path.Combine(Peers.RepoRoot, folder))
            .Where(Directory.Exists)
            .SelectMany(folder => Directory.EnumerateFiles(folder, "*.cs", SearchOption.AllDirectories))
            .Where(f => !f.Contains($"{Path.DirectorySeparatorChar}bin{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && !f.Contains($"{Path.DirectorySeparatorChar}obj{Path.DirectorySeparatorChar}", StringComparison.Ordinal)
                && Path.GetFileName(f) != nameof(DocumentReferenceTests) + ".cs");

    [GeneratedRegex(@"[A-Za-z0-9_][A-Za-z0-9_./-]*\.md\b")]
    private static partial Regex Document();
}
