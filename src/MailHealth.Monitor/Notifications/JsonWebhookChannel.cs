using System.Net.Http.Headers;
using System.Text;
using System.Text.Json.Nodes;
using MailHealth.Notifications;

namespace MailHealth.Monitor.Notifications;

/// <summary>Slack and Teams: an unsigned JSON POST to a URL whose path is the secret.</summary>
internal sealed class JsonWebhookChannel(string name, ChannelType type, ChannelOptions options, HttpDelivery http, Func<Notification, JsonObject> format)
    : INotificationChannel
{
    public string Name { get; } = name;

    public ChannelType Type { get; } = type;

    public Task<DeliveryResult> SendAsync(Notification notification, CancellationToken cancellationToken)
    {
        var content = new ByteArrayContent(Encoding.UTF8.GetBytes(format(notification).ToJsonString()));
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        return http.PostAsync(new Uri(options.Url!), content, [], options.Timeout, cancellationToken);
    }
}
