namespace MailHealth.Spf;

/// <summary>What one step of an evaluation was.</summary>
public enum SpfTraceKind
{
    /// <summary>A record fetched and parsed for a domain.</summary>
    Record,

    /// <summary>A term evaluated and what it gave.</summary>
    Term,

    /// <summary>A DNS question and its answer.</summary>
    Query,

    /// <summary>Anything else worth seeing (explanation, limits).</summary>
    Note,
}

/// <summary>One line of the evaluation trace. <see cref="Depth"/> grows with each include/redirect.</summary>
/// <param name="Lookups">The DNS-querying term count when this step was taken (RFC 7208 section 4.6.4).</param>
public sealed record SpfTraceEntry(int Depth, SpfTraceKind Kind, string Domain, string Text, int Lookups);
