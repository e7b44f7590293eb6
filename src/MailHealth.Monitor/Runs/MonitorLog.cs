using MailHealth.Checks;
using Microsoft.Extensions.Logging;

namespace MailHealth.Monitor.Runs;

/// <summary>The monitor's log events; ids are stable (2000-2099 runs, 2100-2199 delivery, 2200-2299 schedule).</summary>
internal static partial class MonitorLog
{
    [LoggerMessage(EventId = 2000, Level = LogLevel.Information, Message = "Run {RunId} stored: {Status}, {Changes} change(s), {Transitions} alert transition(s), {Notifications} notification(s) queued")]
    public static partial void RunStored(ILogger logger, string runId, CheckStatus status, int changes, int transitions, int notifications);

    [LoggerMessage(EventId = 2001, Level = LogLevel.Warning, Message = "Probe request for target {TargetId} skipped: {Reason}")]
    public static partial void RunSkipped(ILogger logger, string targetId, string reason);

    [LoggerMessage(EventId = 2002, Level = LogLevel.Information, Message = "Alerts of {RunId} were already evaluated (a repeated message); notifications re-queued from the stored transitions")]
    public static partial void AlertsAlreadyEvaluated(ILogger logger, string runId);

    [LoggerMessage(EventId = 2003, Level = LogLevel.Warning, Message = "Alerts of target {TargetId} changed under run {RunId} (attempt {Attempt}); evaluating again")]
    public static partial void AlertConflict(ILogger logger, string targetId, string runId, int attempt);

    [LoggerMessage(EventId = 2100, Level = LogLevel.Information, Message = "Notification {NotificationId} delivered to {Channel}")]
    public static partial void Delivered(ILogger logger, string notificationId, string channel);

    [LoggerMessage(EventId = 2101, Level = LogLevel.Warning, Message = "Notification {NotificationId} to {Channel} failed (attempt {Attempt}): {Reason}; next attempt in {Delay}")]
    public static partial void DeliveryRetry(ILogger logger, string notificationId, string channel, int attempt, string reason, TimeSpan delay);

    [LoggerMessage(EventId = 2102, Level = LogLevel.Error, Message = "Notification {NotificationId} to {Channel} failed for good after {Attempts} attempt(s): {Reason}")]
    public static partial void DeliveryFailed(ILogger logger, string notificationId, string channel, int attempts, string reason);

    [LoggerMessage(EventId = 2103, Level = LogLevel.Debug, Message = "Notification {NotificationId} is already {State}: nothing to send")]
    public static partial void DeliveryNotNeeded(ILogger logger, string notificationId, string state);

    [LoggerMessage(EventId = 2200, Level = LogLevel.Information, Message = "Schedule slot {Slot:o}: {Count} probe request(s) queued")]
    public static partial void Scheduled(ILogger logger, DateTimeOffset slot, int count);

    [LoggerMessage(EventId = 2201, Level = LogLevel.Information, Message = "Schedule slot {Slot:o}: already queued by another tick, nothing queued")]
    public static partial void SlotAlreadyScheduled(ILogger logger, DateTimeOffset slot);

    [LoggerMessage(EventId = 2202, Level = LogLevel.Warning, Message = "Schedule slot {Slot:o}: storage failed {Count} probe request(s); trying them once more")]
    public static partial void FanOutRetried(ILogger logger, DateTimeOffset slot, int count);

    [LoggerMessage(EventId = 2250, Level = LogLevel.Information, Message = "Receivers' reports before {FirstDayKept}: {Reports} report(s) and {Rows} row(s) removed, {Inputs} input(s), {Domains} domain(s) no longer listed")]
    public static partial void ReportsPurged(ILogger logger, DateOnly firstDayKept, int reports, int rows, int inputs, int domains);
}
