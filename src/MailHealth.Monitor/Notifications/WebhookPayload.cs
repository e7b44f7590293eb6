using System.Text.Json;
using System.Text.Json.Serialization;
using MailHealth.Notifications;

namespace MailHealth.Monitor.Notifications;

/// <summary>
/// The generic webhook's JSON body (camelCase; enums as camelCase strings; absent values as null):
/// <c>{"id","kind","targetId","domain","tags","title","text","severity","code","subject","alertId","runId","at","fix","link"}</c>.
/// </summary>
public static class WebhookPayload
{
    private static readonly JsonSerializerOptions Json = new(JsonSerializerDefaults.Web)
    {
        Converters = { new JsonStringEnumConverter(JsonNamingPolicy.CamelCase) },
    };

    public static byte[] Serialize(Notification notification) =>
        JsonSerializer.SerializeToUtf8Bytes(
            new Body(
                notification.Id,
                notification.Kind,
                notification.TargetId,
                notification.Domain,
                notification.Tags,
                notification.Title,
                notification.Text,
                notification.Severity,
                notification.Code,
                notification.Subject,
                notification.AlertId,
                notification.RunId,
                notification.At.ToUniversalTime(),
                notification.Fix,
                notification.Link),
            Json);

    private sealed record Body(
        string Id,
        NotificationKind Kind,
        string TargetId,
        string Domain,
        IReadOnlyList<string> Tags,
        string Title,
        string Text,
        MailHealth.Checks.Severity? Severity,
        string? Code,
        string? Subject,
        string? AlertId,
        string? RunId,
        DateTimeOffset At,
        string? Fix,
        string? Link);
}
