using System.Text.Json;
using MailHealth.Alerts;
using MailHealth.Checks;
using MailHealth.Monitor.Notifications;
using MailHealth.Notifications;
using MailHealth.Targets;
using MailHealth.Testing;
using MailHealth.Testing.Http;
using MailHealth.Testing.Mail;
using MimeKit;

namespace MailHealth.Monitor.Tests.Notifications;

/// <summary>
/// What an opened alert tells besides its message, routed from a real transition and delivered to
/// real receivers (an HTTP receiver, the peers' Postfix): the finding's fix as the dashboard shows
/// it, and, when MailHealth:Monitor:PublicUrl is set, the link to the target's page; no link without it.
/// </summary>
public sealed class NotificationContentTests
{
    private const string PublicUrl = "https://mailhealth.example/ops";
    private const string TargetPage = "https://mailhealth.example/ops/#/target/example-com";
    private const string Fix = "Renew the certificate and reload the server.";
    private static readonly Target Example = new() { Id = "example-com", Domain = "example.com" };

    private static NotificationServices Services(Dictionary<string, string?> channel, string? publicUrl)
    {
        channel["MailHealth:Monitor:PublicUrl"] = publicUrl;
        return new NotificationServices(channel);
    }

    private static Dictionary<string, string?> HttpChannel(string type, Uri url) => new()
    {
        ["MailHealth:Notifications:Channels:mail:Type"] = type,
        ["MailHealth:Notifications:Channels:mail:Url"] = url.ToString(),
        ["MailHealth:Notifications:Channels:mail:Secret"] = "content-signing-key-0123456789",
    };

    private static Notification Opened(NotificationServices services)
    {
        var key = new AlertKey(Example.Id, "TLS_CERT_EXPIRED", "mx1.example.com:25");
        // A run of its own: the notification's id, and so its Message-ID, is this test's alone in the shared Maildir.
        var transition = new AlertTransition(key.Id, key, AlertTransitionKind.Opened, TestClock.Start, $"example-com/{Guid.NewGuid():N}",
            Severity.Critical, "The certificate of mx1.example.com:25 expired 2 days ago");
        return Assert.Single(services.Router.Route(transition, Example, []));
    }

    [Theory]
    [InlineData("webhook", PublicUrl)]
    [InlineData("slack", PublicUrl)]
    [InlineData("teams", PublicUrl)]
    [InlineData("webhook", null)]
    [InlineData("slack", null)]
    [InlineData("teams", null)]
    public async Task Chat_OpenedAlert_CarriesTheFix_AndTheTargetsPageWhenThePublicUrlIsSet(string type, string? publicUrl)
    {
        await using var receiver = new HttpReceiver();
        using var services = Services(HttpChannel(type, receiver.Url()), publicUrl);

        Assert.Equal(DeliveryOutcome.Delivered, (await services.Sender.SendAsync(Opened(services), CancellationToken.None)).Outcome);

        var request = Assert.Single(receiver.Requests);
        using var json = JsonDocument.Parse(request.Body);
        var root = json.RootElement;
        var link = publicUrl is null ? null : TargetPage;
        switch (type)
        {
            case "webhook":
                Assert.Equal(Fix, root.GetProperty("fix").GetString());
                Assert.Equal(link, root.GetProperty("link").GetString());
                break;
            case "slack":
                var section = root.GetProperty("blocks")[0].GetProperty("text").GetProperty("text").GetString();
                Assert.EndsWith($"\n*How to fix:* {Fix}" + (link is null ? "" : $"\n<{link}|Open in the dashboard>"), section, StringComparison.Ordinal);
                break;
            default:
                var card = root.GetProperty("attachments")[0].GetProperty("content");
                Assert.Contains(card.GetProperty("body").EnumerateArray(), b => b.GetProperty("text").ToString() == $"**How to fix:** {Fix}");
                Assert.Equal(link is not null, card.TryGetProperty("actions", out var actions));
                if (link is not null)
                {
                    var action = Assert.Single(actions.EnumerateArray().ToList());
                    Assert.Equal(("Action.OpenUrl", link), (action.GetProperty("type").GetString(), action.GetProperty("url").GetString()));
                }

                break;
        }

        if (link is null)
        {
            Assert.DoesNotContain("#/target/", request.BodyText, StringComparison.Ordinal);
        }
    }

    [Theory]
    [InlineData(PublicUrl)]
    [InlineData(null)]
    public async Task Email_OpenedAlert_TheFix_AndTheLinkWhenThePublicUrlIsSet(string? publicUrl)
    {
        using var services = Services(EmailChannelTests.Settings(587), publicUrl);
        var notification = Opened(services);

        Assert.Equal(DeliveryOutcome.Delivered, (await services.Sender.SendAsync(notification, CancellationToken.None)).Outcome);

        var message = (await AlertMailbox.WaitForAsync($"{notification.Id}@mailhealth.test", 1, TimeSpan.FromSeconds(30)))[0];
        var body = Assert.IsType<TextPart>(message.Body).Text.ReplaceLineEndings("\n");
        Assert.StartsWith($"The certificate of mx1.example.com:25 expired 2 days ago\n\nHow to fix: {Fix}\n\nTarget:", body, StringComparison.Ordinal);
        if (publicUrl is null)
        {
            Assert.DoesNotContain("Dashboard:", body, StringComparison.Ordinal);
        }
        else
        {
            Assert.Contains($"\nDashboard: {TargetPage}\n", body, StringComparison.Ordinal);
        }
    }
}
