using Microsoft.Extensions.Logging;

namespace MailHealth.Monitor.Notifications;

/// <summary>
/// The notification log lines, event ids 7100-7199. They name the notification, the channel and a
/// <see cref="DeliveryResult.Reason"/>: never a URL, a key or a password.
/// </summary>
internal static partial class NotificationLog
{
    [LoggerMessage(EventId = 7100, Level = LogLevel.Information, Message = "Notification {NotificationId} delivered to channel {Channel} ({ChannelType})")]
    public static partial void Delivered(ILogger logger, string notificationId, string channel, ChannelType channelType);

    [LoggerMessage(EventId = 7101, Level = LogLevel.Warning, Message = "Notification {NotificationId} to channel {Channel} ({ChannelType}) failed, may be retried: {Reason}")]
    public static partial void RetryableFailure(ILogger logger, string notificationId, string channel, ChannelType channelType, string reason);

    [LoggerMessage(EventId = 7102, Level = LogLevel.Error, Message = "Notification {NotificationId} to channel {Channel} ({ChannelType}) failed for good: {Reason}")]
    public static partial void PermanentFailure(ILogger logger, string notificationId, string channel, ChannelType channelType, string reason);

    [LoggerMessage(EventId = 7103, Level = LogLevel.Error, Message = "Notification {NotificationId} names channel {Channel}, which is not configured")]
    public static partial void UnknownChannel(ILogger logger, string notificationId, string channel);

    [LoggerMessage(EventId = 7104, Level = LogLevel.Debug, Message = "{Count} notification(s) routed for {EventKind} of target {TargetId}")]
    public static partial void Routed(ILogger logger, int count, string eventKind, string targetId);

    // The exception's type only: its message may quote what the server said about the request.
    [LoggerMessage(EventId = 7105, Level = LogLevel.Error, Message = "Channel {Channel} ({ChannelType}) threw {ExceptionType} for notification {NotificationId}; counted as retryable")]
    public static partial void ChannelThrew(ILogger logger, string channel, ChannelType channelType, string exceptionType, string notificationId);
}
