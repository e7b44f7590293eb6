using MailHealth.Alerts;

namespace MailHealth.Storage.Alerts;

/// <summary>An alert's state as read, with the ETag a conditional write back needs.</summary>
public sealed record StoredAlert(Alert Alert, string ETag);
