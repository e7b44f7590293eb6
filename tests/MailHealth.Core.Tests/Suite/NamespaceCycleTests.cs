using System.Text.RegularExpressions;
using MailHealth.Testing;

namespace MailHealth.Core.Tests.Suite;

/// <summary>
/// Core's namespaces depend on each other in one direction (docs/architecture.md), but for one
/// known knot: the per-run <c>CheckContext</c> (MailHealth.Checks) offers the MX lookup and the SMTP
/// probes that several checks share, and those areas' checks are checks. A new cycle, such as the
/// one every settings class once made through MailHealth.Composition, fails here.
/// </summary>
public sealed partial class NamespaceCycleTests
{
    private static readonly string[] KnownKnot = ["MailHealth.Checks", "MailHealth.Mx", "MailHealth.Reports", "MailHealth.Smtp"];

    [Fact]
    public void CoreNamespaces_FormNoCycleButTheKnownOne()
    {
        var uses = NamespaceUses(Path.Combine(Peers.RepoRoot, "src", "MailHealth.Core"));

        var cycles = StronglyConnected(uses).Where(c => c.Count > 1).Select(c => c.Order(StringComparer.Ordinal).ToArray()).ToList();

        Assert.True(cycles.All(c => c.SequenceEqual(KnownKnot)), "namespaces that depend on each other: " + string.Join("; ", cycles.Select(c => string.Join(" <-> ", c))));
    }

    [Fact]
    public void StronglyConnected_FindsACycleThroughThreeNamespaces()
    {
        var uses = new Dictionary<string, HashSet<string>>
        {
            ["A"] = ["B"],
            ["B"] = ["C"],
            ["C"] = ["A", "D"],
            ["D"] = [],
        };

        var components = StronglyConnected(uses);

        Assert.Contains(components, c => c.Order(StringComparer.Ordinal).SequenceEqual(["A", "B", "C"]));
        Assert.Contains(components, c => c.SequenceEqual(["D"]));
    }

    /// <summary>Each namespace of the sources and the project namespaces its files name (using directives and qualified names).</summary>
    private static Dictionary<string, HashSet<string>> NamespaceUses(string folder)
    {
        var uses = new Dictionary<string, HashSet<string>>(StringComparer.Ordinal);
        foreach (var file in Directory.EnumerateFiles(folder, "*.cs", SearchOption.AllDirectories))
        {
            var text = File.ReadAllText(file);
            if (DeclaredNamespace().Match(text) is not { Success: true } declared)
            {
                continue;
            }

            var own = declared.Groups[1].Value;
            var set = uses.TryGetValue(own, out var known) ? known : uses[own] = new HashSet<string>(StringComparer.Ordinal);
            set.UnionWith(Using().Matches(text).Select(m => m.Groups[1].Value).Concat(Qualified().Matches(text).Select(m => m.Groups[1].Value)).Where(n => n != own));
        }

        return uses;
    }

    /// <summary>Tarjan's strongly connected components over the namespaces the sources declare.</summary>
    private static List<List<string>> StronglyConnected(Dictionary<string, HashSet<string>> uses)
    {
        var index = new Dictionary<string, int>(StringComparer.Ordinal);
        var low = new Dictionary<string, int>(StringComparer.Ordinal);
        var stack = new Stack<string>();
        var components = new List<List<string>>();

        void Visit(string node)
        {
            index[node] = low[node] = index.Count;
            stack.Push(node);
            foreach (var next in uses[node].Where(uses.ContainsKey))
            {
                if (!index.ContainsKey(next))
                {
                    Visit(next);
                    low[node] = Math.Min(low[node], low[next]);
                }
                else if (stack.Contains(next))
                {
                    low[node] = Math.Min(low[node], index[next]);
                }
            }

            if (low[node] == index[node])
            {
                var component = new List<string>();
                string popped;
                do
                {
                    popped = stack.Pop();
                    component.Add(popped);
                }
                while (popped != node);
                components.Add(component);
            }
        }

        foreach (var node in uses.Keys.Where(n => !index.ContainsKey(n)).ToList())
        {
            Visit(node);
        }

        return components;
    }

    [GeneratedRegex(@"^namespace (MailHealth\.[\w.]+);", RegexOptions.Multiline)]
    private static partial Regex DeclaredNamespace();

    [GeneratedRegex(@"^using (MailHealth\.[\w.]+);", RegexOptions.Multiline)]
    private static partial Regex Using();

    [GeneratedRegex(@"\b(MailHealth\.[A-Z]\w+)\.[A-Z]\w+")]
    private static partial Regex Qualified();
}
