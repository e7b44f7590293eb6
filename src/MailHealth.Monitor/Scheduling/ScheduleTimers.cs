namespace MailHealth.Monitor.Scheduling;

/// <summary>What runs a host's schedules, which decides the settings it may take.</summary>
public enum ScheduleTimers
{
    /// <summary><c>serve</c>: its own clock runs both schedules, each with its default when unset.</summary>
    InProcess,

    /// <summary>
    /// The Functions host's timer triggers: <c>MAILHEALTH_SCHEDULE</c> must be set (the host resolves
    /// it by name), and the purge's timer is a constant, so its setting is refused rather than ignored.
    /// </summary>
    Functions,
}
