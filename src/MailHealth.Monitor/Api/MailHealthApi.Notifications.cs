using MailHealth.Monitor.Notifications;
using Microsoft.AspNetCore.Http;

namespace MailHealth.Monitor.Api;

public sealed partial class MailHealthApi
{
    /// <summary>
    /// <c>POST /api/notifications/test?channel=NAME</c>: sends a test notification through every
    /// configured channel, or the one named, and answers 200 with each channel's outcome (delivered,
    /// refused or failed, the reason and the receiver's answer), whatever they are; 404 when no
    /// channel has that name or none is configured. Nothing is stored.
    /// </summary>
    public async Task<IResult> TestNotificationsAsync(HttpRequest request, CancellationToken cancellationToken)
    {
        var query = ApiQuery.Of(request, "channel");
        var channel = query.Text("channel");
        if (channel is not null && !NotificationOptionsValidator.IsValidChannelName(channel))
        {
            query.Error("channel", $"'{ApiQuery.Shorten(channel)}' is not a channel name (1-64 letters, digits, '-' or '_')");
        }

        if (query.Problem is { } problem)
        {
            return problem;
        }

        var results = await notificationTester.TestAsync(channel, cancellationToken).ConfigureAwait(false);
        return results switch
        {
            null => ApiProblem.NotFound($"no notification channel is named '{channel}' ({NotificationOptions.SectionPath}:Channels)"),
            { Count: 0 } => ApiProblem.NotFound($"no notification channel is configured ({NotificationOptions.SectionPath}:Channels)"),
            _ => ApiJson.Ok(new NotificationTestAnswer(results)),
        };
    }

    /// <summary>The answer of a notification test: one entry per channel tested, in name order.</summary>
    private sealed record NotificationTestAnswer(IReadOnlyList<ChannelTestResult> Channels);
}
