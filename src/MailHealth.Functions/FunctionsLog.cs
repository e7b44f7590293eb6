using Microsoft.Extensions.Logging;

namespace MailHealth.Functions;

internal static partial class FunctionsLog
{
    [LoggerMessage(EventId = 2600, Level = LogLevel.Warning, Message = "{Setting} is true, but {PlatformSetting} does not say App Service Authentication is on: signed-in callers are not trusted, only keys")]
    public static partial void SignInNotTrusted(ILogger logger, string setting, string platformSetting);
}
