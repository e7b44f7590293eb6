namespace MailHealth.Sharing;

/// <summary>
/// The longest anything the checker shares across runs (an SMTP probe of a provider's host, a DNS
/// answer) may live, whatever its own setting says. A host that runs on a schedule registers half
/// its interval before <c>AddMailHealthChecks</c>, so each cycle probes and asks afresh; without
/// one the settings alone decide.
/// </summary>
/// <param name="Longest">The bound; <see cref="TimeSpan.MaxValue"/> for none.</param>
public sealed record SharingLimit(TimeSpan Longest)
{
    public static SharingLimit None { get; } = new(TimeSpan.MaxValue);

    /// <summary><paramref name="age"/>, or the bound when that is shorter.</summary>
    public TimeSpan Apply(TimeSpan age) => age < Longest ? age : Longest;
}
