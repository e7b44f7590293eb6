using Microsoft.Extensions.Logging;

namespace MailHealth.Monitor.Api;

internal static partial class ApiLog
{
    [LoggerMessage(EventId = 2400, Level = LogLevel.Error, Message = "API route {Route} failed")]
    public static partial void Failed(ILogger logger, string route, Exception exception);
}
