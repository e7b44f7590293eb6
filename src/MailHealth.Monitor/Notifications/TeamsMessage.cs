using System.Globalization;
using System.Text.Json.Nodes;
using MailHealth.Checks;
using MailHealth.Notifications;

namespace MailHealth.Monitor.Notifications;

/// <summary>
/// A Microsoft Teams Workflows webhook message: <c>{"type":"message","attachments":[{"contentType":
/// "application/vnd.microsoft.card.adaptive","content":ADAPTIVE_CARD}]}</c>, the card version 1.4
/// with the title coloured by severity (attention for critical, warning for warning, good for a
/// resolved alert, accent otherwise), the text, how to fix it, a fact set, and an Open URL action
/// to the target's page on the dashboard.
/// </summary>
public static class TeamsMessage
{
    public const string AdaptiveCardContentType = "application/vnd.microsoft.card.adaptive";

    public static JsonObject Build(Notification notification)
    {
        var facts = new JsonArray();
        if (notification.TargetId.Length > 0)
        {
            facts.Add(Fact("Target", $"{notification.TargetId} ({notification.Domain})"));
        }

        if (notification.Severity is { } severity)
        {
            facts.Add(Fact("Severity", severity.ToString().ToLowerInvariant()));
        }

        if (notification.Code is { } code)
        {
            facts.Add(Fact("Code", code));
        }

        if (notification.Subject is { } subject)
        {
            facts.Add(Fact("Subject", subject));
        }

        if (notification.RunId is { } run)
        {
            facts.Add(Fact("Run", run));
        }

        facts.Add(Fact("At", notification.At.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture)));
        var body = new JsonArray(
            new JsonObject
            {
                ["type"] = "TextBlock",
                ["text"] = notification.Title,
                ["weight"] = "Bolder",
                ["size"] = "Medium",
                ["color"] = Colour(notification),
                ["wrap"] = true,
            },
            new JsonObject { ["type"] = "TextBlock", ["text"] = notification.Text, ["wrap"] = true });
        if (notification.Fix is { } fix)
        {
            // TextBlock markdown: bold works, code spans do not (their backticks stay, readable).
            body.Add(new JsonObject { ["type"] = "TextBlock", ["text"] = $"**How to fix:** {fix}", ["wrap"] = true });
        }

        body.Add(new JsonObject { ["type"] = "FactSet", ["facts"] = facts });
        var card = new JsonObject
        {
            ["$schema"] = "http://adaptivecards.io/schemas/adaptive-card.json",
            ["type"] = "AdaptiveCard",
            ["version"] = "1.4",
            ["body"] = body,
        };
        if (notification.Link is { } link)
        {
            card["actions"] = new JsonArray(new JsonObject { ["type"] = "Action.OpenUrl", ["title"] = "Open in the dashboard", ["url"] = link });
        }

        return new JsonObject
        {
            ["type"] = "message",
            ["attachments"] = new JsonArray(new JsonObject
            {
                ["contentType"] = AdaptiveCardContentType,
                ["contentUrl"] = null,
                ["content"] = card,
            }),
        };
    }

    /// <summary>The TextBlock colour (Adaptive Cards 1.4: Default, Dark, Light, Accent, Good, Warning, Attention).</summary>
    public static string Colour(Notification notification) => notification switch
    {
        { Kind: NotificationKind.AlertResolved } => "Good",
        { Kind: NotificationKind.AlertOpened, Severity: Severity.Critical } => "Attention",
        { Kind: NotificationKind.AlertOpened, Severity: Severity.Warning } => "Warning",
        _ => "Accent",
    };

    private static JsonObject Fact(string title, string value) => new() { ["title"] = title, ["value"] = value };
}
