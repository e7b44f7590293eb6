namespace MailHealth.Sharing;

/// <summary>
/// The longest what the checker shares across runs and no one else keeps for it (an SMTP probe of
/// a provider's host, an authoritative server's answer) may live, whatever its own setting says.
/// A host that runs on a schedule registers half its interval before <c>AddMailHealthChecks</c>,
/// so each cycle probes afresh and reads an authoritative zone afresh; without one the settings
/// alone decide. A caching resolver's answers are not bound by it: the resolver would give the
/// same answer until its TTL runs out (docs/configuration.md, DNS).
/// </summary>
/// <param name="Longest">The bound; <see cref="TimeSpan.MaxValue"/> for none.</param>
public sealed record SharingLimit(TimeSpan Longest)
{
    public static SharingLimit None { get; } = new(TimeSpan.MaxValue);

    /// <summary><paramref name="age"/>, or the bound when that is shorter.</summary>
    public TimeSpan Apply(TimeSpan age) => age < Longest ? age : Longest;
}
