using System.Text;
using System.Text.Json;
using MailHealth.Monitor.Notifications;
using MailHealth.Testing.Http;
using MailHealth.Testing.Servers;

namespace MailHealth.Monitor.Tests.Notifications;

public sealed class WebhookChannelTests
{
    private const string Secret = "whsec-0123456789abcdef-test";
    private static readonly TimeSpan Tolerance = TimeSpan.FromMinutes(5);

    private static NotificationServices Services(Uri url, string timeout = "00:00:30") => new(new Dictionary<string, string?>
    {
        ["MailHealth:Notifications:Channels:ops:Type"] = "webhook",
        ["MailHealth:Notifications:Channels:ops:Url"] = url.ToString(),
        ["MailHealth:Notifications:Channels:ops:Secret"] = Secret,
        ["MailHealth:Notifications:Channels:ops:Timeout"] = timeout,
    });

    [Fact]
    public async Task Send_Accepted_BodyAsDocumentedAndSignatureVerifies()
    {
        await using var receiver = new HttpReceiver();
        using var services = Services(receiver.Url("/hooks/mailhealth"));
        var notification = NotificationServices.Sample("ops");

        var result = await services.Sender.SendAsync(notification, CancellationToken.None);

        Assert.Equal(DeliveryOutcome.Delivered, result.Outcome);
        var request = Assert.Single(receiver.Requests);
        Assert.Equal("POST", request.Method);
        Assert.Equal("/hooks/mailhealth", request.Target);
        Assert.StartsWith("application/json", request.Header("Content-Type"), StringComparison.Ordinal);
        Assert.Equal(notification.Id, request.Header("X-MailHealth-Delivery"));
        Assert.Equal($"t={NotificationServices.Start.ToUnixTimeSeconds()},", request.Header("X-MailHealth-Signature")![..13]);
        Assert.True(SignatureVerifier.Verify(Secret, request.Header("X-MailHealth-Signature"), request.Body, services.Time.GetUtcNow(), Tolerance));

        using var json = JsonDocument.Parse(request.Body);
        var root = json.RootElement;
        Assert.Equal(
            ["id", "kind", "targetId", "domain", "tags", "title", "text", "severity", "code", "subject", "alertId", "runId", "at", "fix", "link"],
            root.EnumerateObject().Select(p => p.Name));
        Assert.Equal(notification.Id, root.GetProperty("id").GetString());
        Assert.Equal("alertOpened", root.GetProperty("kind").GetString());
        Assert.Equal("example-com", root.GetProperty("targetId").GetString());
        Assert.Equal("example.com", root.GetProperty("domain").GetString());
        Assert.Equal(["prod", "eu"], root.GetProperty("tags").EnumerateArray().Select(t => t.GetString()));
        Assert.Equal(notification.Title, root.GetProperty("title").GetString());
        Assert.Equal(notification.Text, root.GetProperty("text").GetString());
        Assert.Equal("critical", root.GetProperty("severity").GetString());
        Assert.Equal("TLS_CERT_EXPIRED", root.GetProperty("code").GetString());
        Assert.Equal("mx1.example.com:25", root.GetProperty("subject").GetString());
        Assert.Equal(notification.AlertId, root.GetProperty("alertId").GetString());
        Assert.Equal(notification.RunId, root.GetProperty("runId").GetString());
        Assert.Equal(notification.At, root.GetProperty("at").GetDateTimeOffset());
        // The sample has neither (NotificationContentTests route real alerts with them).
        Assert.Equal(JsonValueKind.Null, root.GetProperty("fix").ValueKind);
        Assert.Equal(JsonValueKind.Null, root.GetProperty("link").ValueKind);
    }

    [Fact]
    public async Task Verify_TamperedBodyWrongSecretOrReplay_Rejected()
    {
        await using var receiver = new HttpReceiver();
        using var services = Services(receiver.Url());
        await services.Sender.SendAsync(NotificationServices.Sample("ops"), CancellationToken.None);
        var request = Assert.Single(receiver.Requests);
        var header = request.Header("X-MailHealth-Signature");
        var tampered = Encoding.UTF8.GetBytes(request.BodyText.Replace("\"critical\"", "\"info\"", StringComparison.Ordinal));

        Assert.True(SignatureVerifier.Verify(Secret, header, request.Body, services.Time.GetUtcNow(), Tolerance));
        Assert.NotEqual(request.Body, tampered);
        Assert.False(SignatureVerifier.Verify(Secret, header, tampered, services.Time.GetUtcNow(), Tolerance));
        Assert.False(SignatureVerifier.Verify("another-secret-0123456789", header, request.Body, services.Time.GetUtcNow(), Tolerance));
        Assert.False(SignatureVerifier.Verify(Secret, header, request.Body, services.Time.GetUtcNow().AddMinutes(10), Tolerance));
    }

    [Fact]
    public async Task Send_500Then200_RetryableThenDelivered_ReceiverSeesOneDelivery()
    {
        await using var receiver = new HttpReceiver().Script(ScriptedReply.Answer(500));
        using var services = Services(receiver.Url());
        var notification = NotificationServices.Sample("ops");

        var first = await services.Sender.SendAsync(notification, CancellationToken.None);
        var delay = services.Retry.NextAttemptDelay(1, first.RetryAfter);
        services.Time.Advance(delay!.Value);
        var second = await services.Sender.SendAsync(notification, CancellationToken.None);

        Assert.Equal(DeliveryOutcome.RetryableFailure, first.Outcome);
        Assert.Equal("HTTP 500 (InternalServerError)", first.Reason);
        Assert.Equal(DeliveryOutcome.Delivered, second.Outcome);
        Assert.Equal(2, receiver.Requests.Count);
        Assert.Equal(1, receiver.DistinctDeliveries());
        Assert.Equal(receiver.Requests[0].Header("X-MailHealth-Delivery"), receiver.Requests[1].Header("X-MailHealth-Delivery"));
        Assert.All(receiver.Requests, r => Assert.True(SignatureVerifier.Verify(Secret, r.Header("X-MailHealth-Signature"), r.Body, services.Time.GetUtcNow(), Tolerance)));
    }

    [Theory]
    [InlineData(400)]
    [InlineData(401)]
    [InlineData(404)]
    [InlineData(410)]
    [InlineData(301)]
    public async Task Send_ClientErrorOrRedirect_Permanent(int status)
    {
        await using var receiver = new HttpReceiver { Default = ScriptedReply.Answer(status, ("Location", "http://127.0.0.1:9/elsewhere")) };
        using var services = Services(receiver.Url());

        var result = await services.Sender.SendAsync(NotificationServices.Sample("ops"), CancellationToken.None);

        Assert.Equal(DeliveryOutcome.PermanentFailure, result.Outcome);
        Assert.StartsWith($"HTTP {status} ", result.Reason, StringComparison.Ordinal);
        Assert.Single(receiver.Requests);
    }

    [Theory]
    [InlineData(408)]
    [InlineData(429)]
    [InlineData(502)]
    [InlineData(503)]
    public async Task Send_RetryableStatus_RetryAfterSecondsHonouredInDelay(int status)
    {
        await using var receiver = new HttpReceiver { Default = ScriptedReply.Answer(status, ("Retry-After", "600")) };
        using var services = Services(receiver.Url());

        var result = await services.Sender.SendAsync(NotificationServices.Sample("ops"), CancellationToken.None);

        Assert.Equal(DeliveryOutcome.RetryableFailure, result.Outcome);
        Assert.Equal(TimeSpan.FromSeconds(600), result.RetryAfter);
        Assert.Equal(TimeSpan.FromSeconds(600), services.Retry.NextAttemptDelay(1, result.RetryAfter));
    }

    [Fact]
    public async Task Send_RetryAfterHttpDate_RelativeToTheClock()
    {
        var date = NotificationServices.Start.AddMinutes(20).ToString("R", System.Globalization.CultureInfo.InvariantCulture);
        await using var receiver = new HttpReceiver { Default = ScriptedReply.Answer(503, ("Retry-After", date)) };
        using var services = Services(receiver.Url());

        var result = await services.Sender.SendAsync(NotificationServices.Sample("ops"), CancellationToken.None);

        Assert.Equal(TimeSpan.FromMinutes(20), result.RetryAfter);
    }

    [Fact]
    public async Task Send_NobodyListening_RetryableConnectionError()
    {
        // Bind a port, then close it: nothing listens there any more.
        int port;
        await using (var closed = new SocketServer((_, _) => Task.CompletedTask, MailHealth.Testing.Peers.Address(71, 2)))
        {
            port = closed.Port;
        }

        using var services = Services(new Uri($"http://{MailHealth.Testing.Peers.Address(71, 2)}:{port}/hook"));

        var result = await services.Sender.SendAsync(NotificationServices.Sample("ops"), CancellationToken.None);

        Assert.Equal(DeliveryOutcome.RetryableFailure, result.Outcome);
        Assert.Equal("request failed (ConnectionError)", result.Reason);
    }

    [Fact]
    public async Task Send_ReceiverNeverAnswers_RetryableAfterTheChannelTimeout()
    {
        await using var receiver = new HttpReceiver { Default = ScriptedReply.Never };
        using var services = Services(receiver.Url(), timeout: "00:00:05");

        var sending = services.Sender.SendAsync(NotificationServices.Sample("ops"), CancellationToken.None);
        await receiver.WaitForRequestsAsync(1);

        Assert.False(sending.IsCompleted);
        services.Time.Advance(TimeSpan.FromSeconds(5));
        var result = await sending;

        Assert.Equal(DeliveryOutcome.RetryableFailure, result.Outcome);
        Assert.Equal("no answer within 5 s", result.Reason);
    }

    [Fact]
    public async Task RouteAndSend_ChangeEvent_KindChangeWithoutSeverity()
    {
        await using var receiver = new HttpReceiver();
        using var services = new NotificationServices(new Dictionary<string, string?>
        {
            ["MailHealth:Notifications:Channels:drift:Type"] = "webhook",
            ["MailHealth:Notifications:Channels:drift:Url"] = receiver.Url().ToString(),
            ["MailHealth:Notifications:Channels:drift:Secret"] = Secret,
            ["MailHealth:Notifications:Channels:drift:Events:0"] = "changes",
        });
        var change = new MailHealth.Changes.ChangeEvent("example-com", "mx", "10 mx1.example.com", "10 mx2.example.com",
            "MX changed: mx1.example.com replaced by mx2.example.com", NotificationServices.Start, "example-com/20261129T160000Z");
        var target = new MailHealth.Targets.Target { Id = "example-com", Domain = "example.com" };

        var notification = Assert.Single(services.Router.Route(change, target, ["prod"]));
        var result = await services.Sender.SendAsync(notification, CancellationToken.None);

        Assert.Equal(DeliveryOutcome.Delivered, result.Outcome);
        var request = Assert.Single(receiver.Requests);
        Assert.True(SignatureVerifier.Verify(Secret, request.Header("X-MailHealth-Signature"), request.Body, services.Time.GetUtcNow(), Tolerance));
        using var json = JsonDocument.Parse(request.Body);
        Assert.Equal("change", json.RootElement.GetProperty("kind").GetString());
        Assert.Equal(JsonValueKind.Null, json.RootElement.GetProperty("severity").ValueKind);
        Assert.Equal(JsonValueKind.Null, json.RootElement.GetProperty("alertId").ValueKind);
        Assert.Equal("mx", json.RootElement.GetProperty("subject").GetString());
        Assert.Equal("[CHANGE] example.com: MX changed: mx1.example.com replaced by mx2.example.com", json.RootElement.GetProperty("title").GetString());
    }

    [Fact]
    public async Task Send_UnknownChannel_PermanentNotThrown()
    {
        await using var receiver = new HttpReceiver();
        using var services = Services(receiver.Url());

        var result = await services.Sender.SendAsync(NotificationServices.Sample("removed-channel"), CancellationToken.None);

        Assert.Equal(DeliveryOutcome.PermanentFailure, result.Outcome);
        Assert.Equal("no channel named 'removed-channel' is configured", result.Reason);
        Assert.Empty(receiver.Requests);
    }
}
