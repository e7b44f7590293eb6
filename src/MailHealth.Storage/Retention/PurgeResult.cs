namespace MailHealth.Storage.Retention;

/// <summary>Entities a retention purge deleted.</summary>
public sealed record PurgeResult(int RunEntities, int ChangeEvents, int Notifications, int OutageRecords);
