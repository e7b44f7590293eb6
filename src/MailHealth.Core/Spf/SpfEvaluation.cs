namespace MailHealth.Spf;

/// <summary>The outcome of one check_host() call with everything that led to it.</summary>
public sealed record SpfEvaluation
{
    public required SpfResult Result { get; init; }

    /// <summary>The expanded exp= text for a fail, when the record gives one (RFC 7208 section 6.2).</summary>
    public string? Explanation { get; init; }

    /// <summary>The domain checked first (the sender's, or the HELO's for a null reverse-path).</summary>
    public required string Domain { get; init; }

    /// <summary>The &lt;sender&gt; used, after the null reverse-path rule.</summary>
    public required string Sender { get; init; }

    /// <summary>
    /// The mechanism that gave the result and the include/redirect terms that led to it; null when
    /// none matched (neutral by default, none, or an error).
    /// </summary>
    public SpfMatch? Match { get; init; }

    /// <summary>DNS-querying terms evaluated (RFC 7208 section 4.6.4; at most 10).</summary>
    public int Lookups { get; init; }

    public int VoidLookups { get; init; }

    /// <summary>The cause of a permerror or temperror.</summary>
    public SpfProblem Problem { get; init; }

    /// <summary>A sentence on the cause of a permerror or temperror.</summary>
    public string? Reason { get; init; }

    /// <summary>The syntax error behind a permerror, when that was the cause.</summary>
    public SpfSyntaxError? SyntaxError { get; init; }

    /// <summary>The record of <see cref="Domain"/>, when one was found.</summary>
    public string? Record { get; init; }

    public required IReadOnlyList<SpfTraceEntry> Trace { get; init; }

    public required SpfIncludeNode Tree { get; init; }
}
