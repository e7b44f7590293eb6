namespace MailHealth.Egress;

/// <summary>What the fleet's recent port-25 probes say about this monitor's own egress.</summary>
public enum EgressVerdict
{
    /// <summary>No evidence either way yet (no port-25 answer, too few targets).</summary>
    Unknown = 0,

    /// <summary>Some port-25 probe got an answer (connected or refused): packets leave.</summary>
    Open = 1,

    /// <summary>Every port-25 probe of enough targets timed out while submission ports connected.</summary>
    Blocked = 2,
}
