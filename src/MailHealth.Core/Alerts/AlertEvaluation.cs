namespace MailHealth.Alerts;

/// <summary>What one run did to a target's alerts.</summary>
/// <param name="Changed">Every alert whose stored state must be written (new, advanced, opened, resolved, reset), ordered by id.</param>
/// <param name="Transitions">Opened and Resolved transitions of this run, ordered by alert id: the ones to store and notify.</param>
/// <param name="Dropped">
/// Pending alerts that never opened and were absent from this run: their stored state is deleted
/// (flap damping forgets them; nobody was ever told). Ordered by id.
/// </param>
public sealed record AlertEvaluation(
    IReadOnlyList<Alert> Changed,
    IReadOnlyList<AlertTransition> Transitions,
    IReadOnlyList<Alert> Dropped)
{
    public static AlertEvaluation None { get; } = new([], [], []);

    /// <summary>
    /// Alerts whose stored state already counts this run (<see cref="Alert.LastRunId"/>), left as
    /// they are: an earlier save of the same run was cut after writing them, together with their
    /// transitions. Their transitions are not in <see cref="Transitions"/>; read them back from storage.
    /// </summary>
    public int AlreadyCounted { get; init; }
}
