using System.Net.Http.Headers;
using MailHealth.Notifications;

namespace MailHealth.Monitor.Notifications;

/// <summary>The generic JSON webhook: the body of <see cref="WebhookPayload"/>, signed (<see cref="WebhookSignature"/>).</summary>
internal sealed class WebhookChannel(string name, ChannelOptions options, HttpDelivery http, TimeProvider time) : INotificationChannel
{
    public string Name { get; } = name;

    public ChannelType Type => ChannelType.Webhook;

    public Task<DeliveryResult> SendAsync(Notification notification, CancellationToken cancellationToken)
    {
        var body = WebhookPayload.Serialize(notification);
        var content = new ByteArrayContent(body);
        content.Headers.ContentType = new MediaTypeHeaderValue("application/json") { CharSet = "utf-8" };
        var signature = WebhookSignature.Create(options.Secret!, time.GetUtcNow().ToUnixTimeSeconds(), body);
        KeyValuePair<string, string>[] headers =
        [
            new(WebhookSignature.HeaderName, signature),
            new(WebhookSignature.DeliveryHeaderName, notification.Id),
        ];
        return http.PostAsync(new Uri(options.Url!), content, headers, options.Timeout, cancellationToken);
    }
}
