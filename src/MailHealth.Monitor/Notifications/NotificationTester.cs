using MailHealth.Monitor.Dashboard;
using MailHealth.Notifications;

namespace MailHealth.Monitor.Notifications;

/// <summary>
/// The "send test" button: one clearly labelled test notification to every configured channel (or
/// to the one named), all at once, through the same channels and sender as an alert, whatever the
/// channel's Tags, Events and MinimumSeverity; then, per channel, what became of it and what the
/// receiver answered. Nothing is stored and nothing is retried: a person is waiting for the answer.
/// <c>mailhealth notify test</c> and <c>POST /api/notifications/test</c> both call it.
/// </summary>
public sealed class NotificationTester(NotificationChannels channels, NotificationSender sender, DashboardLinks links, TimeProvider time)
{
    /// <summary>
    /// Tests every channel (<paramref name="channel"/> null) or the one named (case-insensitive),
    /// in name order; an empty list when no channel is configured, null when none has that name.
    /// </summary>
    public async Task<IReadOnlyList<ChannelTestResult>?> TestAsync(string? channel, CancellationToken cancellationToken)
    {
        var names = channel is null ? channels.Names.Order(StringComparer.Ordinal).ToList() : [channel];
        var selected = new List<INotificationChannel>();
        foreach (var name in names)
        {
            if (!channels.TryGet(name, out var found))
            {
                return null;
            }

            selected.Add(found);
        }

        var at = time.GetUtcNow();
        return await Task.WhenAll(selected.Select(async c =>
        {
            var notification = TestNotification(c, at, links.Root);
            var result = await sender.SendAsync(notification, cancellationToken).ConfigureAwait(false);
            return ChannelTestResult.Of(c, notification.Id, result);
        })).ConfigureAwait(false);
    }

    /// <summary>The test notification for <paramref name="channel"/>: kind test, about no target, linking to the dashboard when its address is known.</summary>
    public static Notification TestNotification(INotificationChannel channel, DateTimeOffset at, Uri? dashboard)
    {
        ArgumentNullException.ThrowIfNull(channel);
        var type = channel.Type.ToString().ToLowerInvariant();
        return new Notification
        {
            Id = NotificationRouter.NotificationId($"test\n{at.UtcTicks}", channel.Name),
            Channel = channel.Name,
            Kind = NotificationKind.Test,
            TargetId = string.Empty,
            Domain = string.Empty,
            Title = $"[TEST] MailHealth: test notification to channel {channel.Name}",
            Text = $"A test of channel '{channel.Name}' ({type}), sent because someone asked for one "
                + "(mailhealth notify test, or POST /api/notifications/test). Nothing is wrong: no alert opened.",
            Fix = "Nothing to fix. An alert's notification says here how to fix its finding, as the dashboard does.",
            Link = dashboard?.AbsoluteUri,
            At = at,
        };
    }
}
