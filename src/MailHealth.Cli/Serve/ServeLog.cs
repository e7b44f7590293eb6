using Microsoft.Extensions.Logging;

namespace MailHealth.Cli.Serve;

/// <summary><c>serve</c>'s log events; ids are stable (2500-2599).</summary>
internal static partial class ServeLog
{
    [LoggerMessage(EventId = 2500, Level = LogLevel.Information, Message = "{Job} scheduled by '{Schedule}' (UTC); next at {Next:o}")]
    public static partial void JobScheduled(ILogger logger, string job, string schedule, DateTimeOffset next);

    [LoggerMessage(EventId = 2501, Level = LogLevel.Error, Message = "{Job} failed; it runs again at its next occurrence")]
    public static partial void JobFailed(ILogger logger, string job, Exception exception);

    [LoggerMessage(EventId = 2502, Level = LogLevel.Error, Message = "The queue worker failed; it looks at the queues again after {Pause}")]
    public static partial void WorkerFailed(ILogger logger, TimeSpan pause, Exception exception);

    [LoggerMessage(EventId = 2503, Level = LogLevel.Information, Message = "Stopping: no more messages are taken; those in hand get {Timeout} to finish")]
    public static partial void WorkerStopping(ILogger logger, TimeSpan timeout);

    [LoggerMessage(EventId = 2504, Level = LogLevel.Warning, Message = "Stopped with messages in hand after {Timeout}: they stay on the queue and are retried after the visibility timeout")]
    public static partial void WorkerAbandoned(ILogger logger, TimeSpan timeout);

    [LoggerMessage(EventId = 2505, Level = LogLevel.Information, Message = "{Count} target(s) from {File} written to storage")]
    public static partial void TargetsSeeded(ILogger logger, int count, string file);

    [LoggerMessage(EventId = 2506, Level = LogLevel.Warning, Message = "Reading the fleet's state for /metrics failed; the previous values are served")]
    public static partial void MetricsReadFailed(ILogger logger, Exception exception);

    [LoggerMessage(EventId = 2507, Level = LogLevel.Information, Message = "Purge removed {Runs} run(s), {Changes} change event(s), {Notifications} notification(s)")]
    public static partial void Purged(ILogger logger, int runs, int changes, int notifications);
}
