using System.Text.Json;
using MailHealth.Monitor.Notifications;
using MailHealth.Testing;
using MailHealth.Testing.Http;
using MailHealth.Testing.Mail;
using MailHealth.Testing.Servers;
using MimeKit;

namespace MailHealth.Monitor.Tests.Notifications;

/// <summary>
/// The "send test" button on real receivers: the peers' Postfix (alerts.test submission), HTTP
/// receivers that take the test, refuse it, or are not there. Each channel says what became of
/// its test and what the receiver answered; no secret appears in what it says.
/// </summary>
public sealed class NotificationTesterTests
{
    private const string Secret = "tester-signing-key-0123456789";
    private const string PublicUrl = "https://mailhealth.example/";

    private static async Task<int> ClosedPortAsync()
    {
        // Bind a port, then close it: nothing listens there any more.
        await using var closed = new SocketServer((_, _) => Task.CompletedTask, Peers.Address(71, 2));
        return closed.Port;
    }

    private static void Webhook(Dictionary<string, string?> settings, string name, Uri url)
    {
        settings[$"MailHealth:Notifications:Channels:{name}:Type"] = "webhook";
        settings[$"MailHealth:Notifications:Channels:{name}:Url"] = url.ToString();
        settings[$"MailHealth:Notifications:Channels:{name}:Secret"] = Secret;
    }

    [Fact]
    public async Task EveryChannel_DeliveredRefusedOrFailed_WithWhatTheReceiverAnswered()
    {
        await using var ok = new HttpReceiver();
        await using var broken = new HttpReceiver { Default = new ScriptedReply(500, Body: "queue full\r\ntry later") };
        var settings = EmailChannelTests.Settings(587);
        settings["MailHealth:Monitor:PublicUrl"] = PublicUrl;
        Webhook(settings, "ok", ok.Url("/hooks/ok"));
        Webhook(settings, "broken", broken.Url());
        Webhook(settings, "gone", new Uri($"http://{Peers.Address(71, 2)}:{await ClosedPortAsync()}/hook"));
        // The test ignores what a channel subscribes to: this one would never get an alert.
        settings["MailHealth:Notifications:Channels:ok:Tags:0"] = "nothing-has-this-tag";
        settings["MailHealth:Notifications:Channels:ok:Events:0"] = "changes";
        using var services = new NotificationServices(settings);

        var results = await services.Get<NotificationTester>().TestAsync(channel: null, CancellationToken.None);

        Assert.NotNull(results);
        Assert.Equal(["broken", "gone", "mail", "ok"], results.Select(r => r.Name));
        var byName = results.ToDictionary(r => r.Name);

        Assert.Equal(ChannelTestOutcome.Refused, byName["broken"].Outcome);
        Assert.Equal("HTTP 500 (InternalServerError)", byName["broken"].Reason);
        Assert.Equal("HTTP 500 InternalServerError: queue full try later", byName["broken"].Answer);

        Assert.Equal(ChannelTestOutcome.Failed, byName["gone"].Outcome);
        Assert.Equal("request failed (ConnectionError)", byName["gone"].Reason);
        Assert.Null(byName["gone"].Answer);

        var mail = byName["mail"];
        Assert.Equal((ChannelType.Email, ChannelTestOutcome.Delivered, null), (mail.Type, mail.Outcome, mail.Reason));
        Assert.Matches("^250 2\\.0\\.0 Ok: queued as [0-9A-F]+$", mail.Answer);
        // One copy per recipient (ops and oncall) in the shared Maildir.
        var copies = await AlertMailbox.WaitForAsync($"{mail.NotificationId}@mailhealth.test", 2, TimeSpan.FromSeconds(30));
        Assert.Equal(2, copies.Count);
        var message = copies[0];
        Assert.Equal("[TEST] MailHealth: test notification to channel mail", message.Subject);
        var body = Assert.IsType<TextPart>(message.Body).Text;
        Assert.Contains("Nothing is wrong", body, StringComparison.Ordinal);
        Assert.Contains($"Dashboard: {PublicUrl}", body, StringComparison.Ordinal);
        Assert.DoesNotContain("Target:", body, StringComparison.Ordinal);

        Assert.Equal(ChannelTestOutcome.Delivered, byName["ok"].Outcome);
        Assert.Equal("HTTP 200 OK: ok", byName["ok"].Answer);
        var request = Assert.Single(ok.Requests);
        Assert.True(SignatureVerifier.Verify(Secret, request.Header("X-MailHealth-Signature"), request.Body, services.Time.GetUtcNow(), TimeSpan.FromMinutes(5)));
        Assert.Equal(byName["ok"].NotificationId, request.Header("X-MailHealth-Delivery"));
        using var payload = JsonDocument.Parse(request.Body);
        Assert.Equal("test", payload.RootElement.GetProperty("kind").GetString());
        Assert.Equal(string.Empty, payload.RootElement.GetProperty("targetId").GetString());
        Assert.Equal(PublicUrl, payload.RootElement.GetProperty("link").GetString());

        // Nothing secret in what the test says: no signing key, no password, no URL.
        var said = string.Join("\n", results.Select(r => r.ToString()));
        foreach (var secret in new[] { Secret, AlertMailbox.Credentials().Password, ok.Url().Authority, broken.Url().Authority, "/hooks/ok" })
        {
            Assert.DoesNotContain(secret, said, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task OneChannelByName_AnyCase_OnlyThatOneIsSent_UnknownIsNull()
    {
        await using var first = new HttpReceiver();
        await using var second = new HttpReceiver();
        var settings = new Dictionary<string, string?>();
        Webhook(settings, "first", first.Url());
        Webhook(settings, "second", second.Url());
        using var services = new NotificationServices(settings);
        var tester = services.Get<NotificationTester>();

        var results = await tester.TestAsync("SECOND", CancellationToken.None);

        Assert.Equal("second", Assert.Single(results!).Name);
        Assert.Single(second.Requests);
        Assert.Empty(first.Requests);
        Assert.Null(await tester.TestAsync("third", CancellationToken.None));
        Assert.Empty(first.Requests);
    }

    [Fact]
    public async Task NoChannelConfigured_NothingToTest()
    {
        using var services = new NotificationServices(new Dictionary<string, string?>());

        Assert.Empty((await services.Get<NotificationTester>().TestAsync(channel: null, CancellationToken.None))!);
    }
}
