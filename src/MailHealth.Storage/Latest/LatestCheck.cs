using MailHealth.Storage.Runs;

namespace MailHealth.Storage.Latest;

/// <summary>The latest result of one check of a target, and the run it came from.</summary>
public sealed record LatestCheck(CheckSummary Check, string RunId, DateTimeOffset Slot, DateTimeOffset FinishedAt);
