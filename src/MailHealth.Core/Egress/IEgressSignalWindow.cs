namespace MailHealth.Egress;

/// <summary>
/// The fleet's recent port-25 signals, kept where every worker sees them: in memory for one
/// <c>mailhealth check</c> process, in Table Storage for the monitor (one queue message per
/// target leaves no moment when "all targets" have finished, docs/egress.md).
/// </summary>
public interface IEgressSignalWindow
{
    /// <summary>
    /// Records one target's latest signals (replacing its earlier ones) and returns what the
    /// fleet's verdict needs of the signals still within the window, these included: the latest
    /// port-25 answer alone when a port-25 probe answered (the fleet's port 25 is then open,
    /// whatever the rest say), else every target's signals (<see cref="EgressSignalRows"/>).
    /// </summary>
    Task<IReadOnlyList<PortProbeSignal>> RecordAndReadAsync(string targetId, IReadOnlyList<PortProbeSignal> signals, CancellationToken cancellationToken);
}
