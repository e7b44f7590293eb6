namespace MailHealth.Spf;

/// <summary>A parsed "v=spf1" record.</summary>
public sealed record SpfRecord(string Text, IReadOnlyList<SpfTerm> Terms)
{
    public IEnumerable<SpfMechanism> Mechanisms => Terms.OfType<SpfMechanism>();

    public SpfModifier? Redirect => Terms.OfType<SpfModifier>().FirstOrDefault(m => m.Name == SpfModifier.Redirect);

    public SpfModifier? Explanation => Terms.OfType<SpfModifier>().FirstOrDefault(m => m.Name == SpfModifier.Explanation);

    /// <summary>
    /// The mechanisms a receiver can reach: up to and including the first "all", since
    /// "mechanisms listed after 'all' MUST be ignored" (RFC 7208 section 5.1).
    /// </summary>
    public IEnumerable<SpfMechanism> ReachableMechanisms
    {
        get
        {
            foreach (var mechanism in Mechanisms)
            {
                yield return mechanism;
                if (mechanism.Kind == SpfMechanismKind.All)
                {
                    yield break;
                }
            }
        }
    }

    /// <summary>RFC 7208 section 6.1: redirect has no effect when the record has an "all" mechanism.</summary>
    public bool RedirectApplies => Redirect is not null && !Mechanisms.Any(m => m.Kind == SpfMechanismKind.All);

    /// <summary>A JSON-friendly view for evidence: each term with its parts.</summary>
    public IReadOnlyList<object> Describe() => [.. Terms.Select(t => t switch
    {
        SpfMechanism m => (object)new
        {
            term = m.Text,
            position = m.Position,
            qualifier = m.Qualifier.Symbol().ToString(),
            mechanism = m.Kind.ToString().ToLowerInvariant(),
            domain = m.Domain?.Text,
            network = m.Network?.ToString(),
            cidr4 = m.Cidr4,
            cidr6 = m.Cidr6,
        },
        SpfModifier d => new { term = d.Text, position = d.Position, modifier = d.Name, value = d.Value.Text },
        _ => new { term = t.Text, position = t.Position },
    })];
}
