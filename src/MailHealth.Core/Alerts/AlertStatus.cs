namespace MailHealth.Alerts;

/// <summary>Where an alert is in its life.</summary>
public enum AlertStatus
{
    /// <summary>The finding was seen, fewer runs in a row than the policy needs to open: nobody is told yet (flap damping).</summary>
    Pending = 0,

    /// <summary>Seen in enough consecutive runs: notified, waiting to be fixed.</summary>
    Open = 1,

    /// <summary>Absent for enough consecutive runs after being open: notified as resolved.</summary>
    Resolved = 2,
}
