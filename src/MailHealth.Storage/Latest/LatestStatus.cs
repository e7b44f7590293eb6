using MailHealth.Checks;

namespace MailHealth.Storage.Latest;

/// <summary>A target's latest status: the newest run's overall status and the latest result of every check, ordered by check id.</summary>
public sealed record LatestStatus(
    string TargetId,
    string RunId,
    DateTimeOffset Slot,
    DateTimeOffset FinishedAt,
    CheckStatus Status,
    IReadOnlyList<LatestCheck> Checks)
{
    /// <summary>
    /// The ETag of the stored run row this status was read with (null when not read from storage):
    /// every update rewrites that row, so an unchanged ETag means an unchanged status.
    /// </summary>
    public string? Version { get; init; }
}
