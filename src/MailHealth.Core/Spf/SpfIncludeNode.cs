namespace MailHealth.Spf;

/// <summary>
/// One record in the include/redirect tree of an evaluation or a lint walk, with what it cost:
/// <see cref="Lookups"/> counts the DNS-querying terms of this record itself (an include term
/// counts in the record that names it), <see cref="TotalLookups"/> adds the branches below.
/// </summary>
public sealed class SpfIncludeNode
{
    public SpfIncludeNode(string domain, string via)
    {
        Domain = domain;
        Via = via;
    }

    public string Domain { get; }

    /// <summary>How the record was reached: "root", "include:x" or "redirect=x".</summary>
    public string Via { get; }

    public string? Record { get; set; }

    public int Lookups { get; set; }

    public int VoidLookups { get; set; }

    public string? Result { get; set; }

    /// <summary>What went wrong at this node, if anything (no record, syntax error, loop...).</summary>
    public string? Problem { get; set; }

    public List<SpfIncludeNode> Children { get; } = [];

    public int TotalLookups => Lookups + Children.Sum(c => c.TotalLookups);

    /// <summary>A JSON-friendly view for evidence.</summary>
    public object Describe() => new
    {
        domain = Domain,
        via = Via,
        record = Record,
        lookups = Lookups,
        totalLookups = TotalLookups,
        voidLookups = VoidLookups,
        result = Result,
        problem = Problem,
        children = Children.Select(c => c.Describe()).ToList(),
    };

    /// <summary>Indented lines "domain (via): N lookups, M in total", for messages and the CLI.</summary>
    public IEnumerable<string> Lines(int depth = 0)
    {
        yield return $"{new string(' ', depth * 2)}{Via}: {Lookups} lookup(s), {TotalLookups} with its includes{(Problem is null ? "" : $" [{Problem}]")}";
        foreach (var line in Children.SelectMany(c => c.Lines(depth + 1)))
        {
            yield return line;
        }
    }
}
