namespace MailHealth.Egress;

/// <summary>
/// The fleet's recent port-25 signals, kept where every worker sees them: in memory for one
/// <c>mailhealth check</c> process, in Table Storage for the monitor (one queue message per
/// target leaves no moment when "all targets" have finished, docs/egress.md).
/// </summary>
public interface IEgressSignalWindow
{
    /// <summary>Records one target's latest signals (replacing its earlier ones) and returns every target's signals still within the window, these included.</summary>
    Task<IReadOnlyList<PortProbeSignal>> RecordAndReadAsync(string targetId, IReadOnlyList<PortProbeSignal> signals, CancellationToken cancellationToken);
}
