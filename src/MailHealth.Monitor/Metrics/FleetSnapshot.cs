using MailHealth.Alerts;
using MailHealth.Storage.Latest;
using MailHealth.Storage.Queues;
using MailHealth.Targets;

namespace MailHealth.Monitor.Metrics;

/// <summary>
/// What storage says about the whole fleet at <see cref="ReadAt"/>: every target with its latest
/// status (null before its first run), the open alerts and the queues' depths. Every process that
/// shares the storage account reads the same snapshot, so their metrics agree.
/// </summary>
public sealed record FleetSnapshot(
    DateTimeOffset ReadAt,
    IReadOnlyList<FleetTarget> Targets,
    IReadOnlyList<Alert> OpenAlerts,
    IReadOnlyList<QueueDepth> Queues);

/// <summary>One target and its latest stored status.</summary>
public sealed record FleetTarget(Target Target, LatestStatus? Latest);
