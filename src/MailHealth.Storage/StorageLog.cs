using Microsoft.Extensions.Logging;

namespace MailHealth.Storage;

/// <summary>The storage layer's log messages, with stable event ids (7100-7199).</summary>
internal static partial class StorageLog
{
    [LoggerMessage(EventId = 7201, Level = LogLevel.Debug, Message = "Latest status of run {RunId} raced another writer (attempt {Attempt}); reading again")]
    public static partial void LatestRetry(ILogger logger, string runId, int attempt);

    [LoggerMessage(EventId = 7202, Level = LogLevel.Debug, Message = "Fingerprint of run {RunId} raced another writer (attempt {Attempt}); reading again")]
    public static partial void FingerprintRetry(ILogger logger, string runId, int attempt);

    [LoggerMessage(EventId = 7110, Level = LogLevel.Information, Message = "Retention purge before {Before:o}: {Runs} run entities, {Changes} change events, {Notifications} notifications, {Outages} outage records deleted")]
    public static partial void Purged(ILogger logger, DateTimeOffset before, int runs, int changes, int notifications, int outages);
}
