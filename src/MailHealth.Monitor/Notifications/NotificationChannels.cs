using System.Diagnostics.CodeAnalysis;
using MailHealth.Network;
using Microsoft.Extensions.Options;

namespace MailHealth.Monitor.Notifications;

/// <summary>The configured channels by name (case-insensitive), built once from validated options.</summary>
public sealed class NotificationChannels
{
    private readonly Dictionary<string, INotificationChannel> _channels;

    public NotificationChannels(IEnumerable<INotificationChannel> channels) =>
        _channels = channels.ToDictionary(c => c.Name, StringComparer.OrdinalIgnoreCase);

    internal NotificationChannels(IOptions<NotificationOptions> options, IHttpClientFactory clients, TimeProvider time, AddressPolicy addressPolicy)
        : this(Create(options.Value, new HttpDelivery(clients, time), time, addressPolicy))
    {
    }

    public IReadOnlyCollection<string> Names => _channels.Keys;

    public bool TryGet(string name, [NotNullWhen(true)] out INotificationChannel? channel) => _channels.TryGetValue(name, out channel);

    private static IEnumerable<INotificationChannel> Create(NotificationOptions options, HttpDelivery http, TimeProvider time, AddressPolicy addressPolicy) =>
        options.Channels.Select(pair => pair.Value.Type switch
        {
            ChannelType.Webhook => (INotificationChannel)new WebhookChannel(pair.Key, pair.Value, http, time),
            ChannelType.Slack => new JsonWebhookChannel(pair.Key, ChannelType.Slack, pair.Value, http, SlackMessage.Build),
            ChannelType.Teams => new JsonWebhookChannel(pair.Key, ChannelType.Teams, pair.Value, http, TeamsMessage.Build),
            ChannelType.Email => new EmailChannel(pair.Key, pair.Value, time, addressPolicy),
            _ => throw new InvalidOperationException($"{NotificationOptions.SectionPath}:Channels:{pair.Key}:Type: unknown channel type"),
        });
}
