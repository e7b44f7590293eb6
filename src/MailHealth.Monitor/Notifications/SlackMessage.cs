using System.Globalization;
using System.Text.Json.Nodes;
using MailHealth.Notifications;

namespace MailHealth.Monitor.Notifications;

/// <summary>
/// A Slack incoming-webhook message: <c>text</c> (the fallback shown in notifications) and
/// <c>blocks</c> (a section with the title, the text, how to fix it and the link to the dashboard,
/// a context line with target, code, subject and run). Slack's mrkdwn needs &amp;, &lt; and &gt;
/// escaped, in a link's URL too; the fix text's <c>`code`</c> spans are mrkdwn already.
/// </summary>
public static class SlackMessage
{
    public static JsonObject Build(Notification notification)
    {
        var context = new List<string>();
        if (notification.TargetId.Length > 0)
        {
            context.Add($"target `{Escape(notification.TargetId)}`");
        }

        if (notification.Code is { } code)
        {
            context.Add($"code `{Escape(code)}`");
        }

        if (notification.Subject is { } subject)
        {
            context.Add($"subject `{Escape(subject)}`");
        }

        if (notification.RunId is { } run)
        {
            context.Add($"run `{Escape(run)}`");
        }

        context.Add(notification.At.UtcDateTime.ToString("yyyy-MM-dd HH:mm:ss 'UTC'", CultureInfo.InvariantCulture));
        var section = $"*{Escape(notification.Title)}*\n{Escape(notification.Text)}";
        if (notification.Fix is { } fix)
        {
            section += $"\n*How to fix:* {Escape(fix)}";
        }

        if (notification.Link is { } link)
        {
            section += $"\n<{Escape(link)}|Open in the dashboard>";
        }

        return new JsonObject
        {
            ["text"] = notification.Title,
            ["blocks"] = new JsonArray(
                new JsonObject
                {
                    ["type"] = "section",
                    ["text"] = new JsonObject
                    {
                        ["type"] = "mrkdwn",
                        ["text"] = section,
                    },
                },
                new JsonObject
                {
                    ["type"] = "context",
                    ["elements"] = new JsonArray(new JsonObject
                    {
                        ["type"] = "mrkdwn",
                        ["text"] = string.Join(" \u00b7 ", context),
                    }),
                }),
        };
    }

    private static string Escape(string text) => text.Replace("&", "&amp;", StringComparison.Ordinal)
        .Replace("<", "&lt;", StringComparison.Ordinal)
        .Replace(">", "&gt;", StringComparison.Ordinal);
}
