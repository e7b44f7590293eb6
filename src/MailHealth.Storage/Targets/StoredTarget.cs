using MailHealth.Targets;

namespace MailHealth.Storage.Targets;

/// <summary>A target as stored, with the ETag to update it conditionally.</summary>
public sealed record StoredTarget(Target Target, string ETag);
