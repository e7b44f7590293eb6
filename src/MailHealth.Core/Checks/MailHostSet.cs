namespace MailHealth.Checks;

/// <summary>The hosts to probe for a target, and how they were found.</summary>
public sealed record MailHostSet(IReadOnlyList<MailHost> Hosts, MailHostSource Source)
{
    public static MailHostSet None { get; } = new([], MailHostSource.None);
}

public enum MailHostSource
{
    /// <summary>Named explicitly in the target.</summary>
    Explicit,

    /// <summary>From the domain's MX records.</summary>
    Mx,

    /// <summary>No MX: the domain itself, by the implicit MX rule (RFC 5321 section 5.1).</summary>
    ImplicitMx,

    /// <summary>No host: null MX, no MX and no address, or the lookup failed.</summary>
    None,
}
