using Microsoft.Extensions.Logging;

namespace MailHealth.Monitor.Api;

internal static partial class ApiLog
{
    [LoggerMessage(EventId = 2400, Level = LogLevel.Error, Message = "API route {Route} failed")]
    public static partial void Failed(ILogger logger, string route, Exception exception);

    [LoggerMessage(EventId = 2401, Level = LogLevel.Warning, Message = "API route {Route} answered 503: {Reason}")]
    public static partial void StorageUnavailable(ILogger logger, string route, string reason);
}
