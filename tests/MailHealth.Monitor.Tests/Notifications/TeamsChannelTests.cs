using System.Text.Json;
using MailHealth.Checks;
using MailHealth.Monitor.Notifications;
using MailHealth.Notifications;
using MailHealth.Testing.Http;

namespace MailHealth.Monitor.Tests.Notifications;

public sealed class TeamsChannelTests
{
    [Fact]
    public async Task Send_WorkflowsMessageWithAdaptiveCard14()
    {
        await using var receiver = new HttpReceiver { Default = ScriptedReply.Answer(202) };
        using var services = new NotificationServices(new Dictionary<string, string?>
        {
            ["MailHealth:Notifications:Channels:team:Type"] = "teams",
            ["MailHealth:Notifications:Channels:team:Url"] = receiver.Url("/workflows/abc/triggers/manual/paths/invoke").ToString(),
        });
        var notification = NotificationServices.Sample("team");

        var result = await services.Sender.SendAsync(notification, CancellationToken.None);

        Assert.Equal(DeliveryOutcome.Delivered, result.Outcome);
        using var json = JsonDocument.Parse(Assert.Single(receiver.Requests).Body);
        var root = json.RootElement;
        Assert.Equal("message", root.GetProperty("type").GetString());
        var attachment = Assert.Single(root.GetProperty("attachments").EnumerateArray().ToList());
        Assert.Equal("application/vnd.microsoft.card.adaptive", attachment.GetProperty("contentType").GetString());
        var card = attachment.GetProperty("content");
        Assert.Equal("AdaptiveCard", card.GetProperty("type").GetString());
        Assert.Equal("1.4", card.GetProperty("version").GetString());
        var body = card.GetProperty("body").EnumerateArray().ToList();
        Assert.Equal(["TextBlock", "TextBlock", "FactSet"], body.Select(b => b.GetProperty("type").GetString()));
        Assert.Equal(notification.Title, body[0].GetProperty("text").GetString());
        Assert.Equal("Attention", body[0].GetProperty("color").GetString());
        Assert.Equal(notification.Text, body[1].GetProperty("text").GetString());
        var facts = body[2].GetProperty("facts").EnumerateArray().ToDictionary(f => f.GetProperty("title").GetString()!, f => f.GetProperty("value").GetString());
        Assert.Equal("critical", facts["Severity"]);
        Assert.Equal("TLS_CERT_EXPIRED", facts["Code"]);
        Assert.Equal("mx1.example.com:25", facts["Subject"]);
        Assert.Equal("example-com (example.com)", facts["Target"]);
    }

    [Theory]
    [InlineData(NotificationKind.AlertOpened, Severity.Critical, "Attention")]
    [InlineData(NotificationKind.AlertOpened, Severity.Warning, "Warning")]
    [InlineData(NotificationKind.AlertResolved, Severity.Critical, "Good")]
    [InlineData(NotificationKind.Change, null, "Accent")]
    public void Colour_BySeverityAndKind(NotificationKind kind, Severity? severity, string colour)
    {
        var notification = NotificationServices.Sample("team") with { Kind = kind, Severity = severity };

        Assert.Equal(colour, TeamsMessage.Colour(notification));
    }
}
