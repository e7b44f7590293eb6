using System.Text.Json;
using MailHealth.Monitor.Notifications;
using MailHealth.Testing.Http;

namespace MailHealth.Monitor.Tests.Notifications;

public sealed class SlackChannelTests
{
    [Fact]
    public async Task Send_IncomingWebhookShape_TextAndBlocksEscaped()
    {
        await using var receiver = new HttpReceiver();
        using var services = new NotificationServices(new Dictionary<string, string?>
        {
            ["MailHealth:Notifications:Channels:chat:Type"] = "slack",
            ["MailHealth:Notifications:Channels:chat:Url"] = receiver.Url("/services/T000/B000/XXXXXXXX").ToString(),
        });
        var notification = NotificationServices.Sample("chat");

        var result = await services.Sender.SendAsync(notification, CancellationToken.None);

        Assert.Equal(DeliveryOutcome.Delivered, result.Outcome);
        var request = Assert.Single(receiver.Requests);
        Assert.Equal("/services/T000/B000/XXXXXXXX", request.Target);
        Assert.Null(request.Header("X-MailHealth-Signature"));
        using var json = JsonDocument.Parse(request.Body);
        var root = json.RootElement;
        Assert.Equal(notification.Title, root.GetProperty("text").GetString());
        var blocks = root.GetProperty("blocks").EnumerateArray().ToList();
        Assert.Equal(["section", "context"], blocks.Select(b => b.GetProperty("type").GetString()));
        var section = blocks[0].GetProperty("text");
        Assert.Equal("mrkdwn", section.GetProperty("type").GetString());
        Assert.Equal(
            "*[CRITICAL] example.com: TLS_CERT_EXPIRED on mx1.example.com:25 \u2014 opened*\nThe certificate of mx1.example.com:25 expired 2 days ago &lt;&amp; \"quoted\"&gt;",
            section.GetProperty("text").GetString());
        var context = blocks[1].GetProperty("elements")[0];
        Assert.Equal("mrkdwn", context.GetProperty("type").GetString());
        Assert.Contains("code `TLS_CERT_EXPIRED`", context.GetProperty("text").GetString(), StringComparison.Ordinal);
        Assert.Contains("target `example-com`", context.GetProperty("text").GetString(), StringComparison.Ordinal);
    }
}
