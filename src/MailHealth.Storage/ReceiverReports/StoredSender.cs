namespace MailHealth.Storage.ReceiverReports;

/// <summary>
/// A source address of a domain's aggregate reports as last named (docs/reports.md, "Naming the
/// senders"): its PTR name, whether that name resolves back to it, its base domain, the SPF verdict
/// of the domain's record for it with the terms that gave it, what kept it from being named, when
/// it was named, and the first and last day a committed report showed it.
/// </summary>
public sealed record StoredSender
{
    public required string Ip { get; init; }

    public string? PtrName { get; init; }

    /// <summary>The PTR name resolves back to the address (forward-confirmed).</summary>
    public bool Confirmed { get; init; }

    public string? BaseDomain { get; init; }

    /// <summary>Why it has no confirmed name (the names of <c>SenderNameProblem</c>); "None" when named.</summary>
    public required string Problem { get; init; }

    /// <summary>check_host()'s result for the domain from this address (pass, fail, softfail, ...); null when not evaluated in time.</summary>
    public string? SpfResult { get; init; }

    /// <summary>The term of the domain's own record the result came through ("include:_spf.google.com", "ip4:192.0.2.0/24", "-all").</summary>
    public string? SpfTerm { get; init; }

    /// <summary>The mechanism that matched, perhaps in an included record ("ip4:192.0.2.0/24" inside the include).</summary>
    public string? SpfMechanism { get; init; }

    /// <summary>When it was named; null for a row that only records when the address was seen.</summary>
    public DateTimeOffset? NamedAt { get; init; }

    public required DateOnly FirstSeen { get; init; }

    public required DateOnly LastSeen { get; init; }
}
