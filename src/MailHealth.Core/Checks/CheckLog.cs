using Microsoft.Extensions.Logging;

namespace MailHealth.Checks;

/// <summary>The checker's log events. Event ids are stable: operators filter and alert on them.</summary>
internal static partial class CheckLog
{
    [LoggerMessage(EventId = 1000, Level = LogLevel.Debug, Message = "Run of target {TargetId} finished: {Status} in {DurationMs} ms")]
    public static partial void RunFinished(ILogger logger, string targetId, CheckStatus status, long durationMs);

    [LoggerMessage(EventId = 1001, Level = LogLevel.Error, Message = "The {Kind} check of target {TargetId} threw; its result is stored as error")]
    public static partial void CheckThrew(ILogger logger, string kind, string targetId, Exception exception);

    [LoggerMessage(EventId = 1002, Level = LogLevel.Warning, Message = "The {Kind} check of target {TargetId} did not finish before the run's deadline ({Deadline})")]
    public static partial void CheckPastDeadline(ILogger logger, string kind, string targetId, TimeSpan deadline);
}
