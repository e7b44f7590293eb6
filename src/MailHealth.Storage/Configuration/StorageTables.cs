namespace MailHealth.Storage.Configuration;

/// <summary>The table names after the configured prefix (docs/storage.md describes each).</summary>
public static class StorageTables
{
    public const string Targets = "targets";
    public const string Runs = "runs";
    public const string Latest = "latest";
    public const string Alerts = "alerts";
    public const string AlertIndex = "alertindex";
    public const string Changes = "changes";
    public const string ChangeIndex = "changeindex";
    public const string Fingerprints = "fingerprints";
    public const string Outbox = "outbox";
    public const string Egress = "egress";
    public const string Heartbeats = "heartbeats";
    public const string DkimSelectors = "dkimselectors";

    public static IReadOnlyList<string> All { get; } =
        [Targets, Runs, Latest, Alerts, AlertIndex, Changes, ChangeIndex, Fingerprints, Outbox, Egress, Heartbeats, DkimSelectors];
}
