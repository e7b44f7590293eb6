using MailHealth.Monitor.Notifications;
using MailHealth.Testing;
using MailHealth.Testing.Mail;
using MimeKit;

namespace MailHealth.Monitor.Tests.Notifications;

/// <summary>E-mail through the peers' real Postfix (alerts.test submission on $MH_NET.70.1), read back from its Maildir.</summary>
public sealed class EmailChannelTests
{
    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    internal static Dictionary<string, string?> Settings(int port, string? password = null, string security = "Auto") => new()
    {
        ["MailHealth:Notifications:Channels:mail:Type"] = "email",
        ["MailHealth:Notifications:Channels:mail:Host"] = AlertMailbox.Address.ToString(),
        ["MailHealth:Notifications:Channels:mail:Port"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        ["MailHealth:Notifications:Channels:mail:Security"] = security,
        ["MailHealth:Notifications:Channels:mail:UserName"] = AlertMailbox.Credentials().UserName,
        ["MailHealth:Notifications:Channels:mail:Password"] = password ?? AlertMailbox.Credentials().Password,
        ["MailHealth:Notifications:Channels:mail:From"] = "MailHealth <monitor@mailhealth.test>",
        ["MailHealth:Notifications:Channels:mail:To:0"] = $"ops@{AlertMailbox.Domain}",
        ["MailHealth:Notifications:Channels:mail:To:1"] = $"oncall@{AlertMailbox.Domain}",
        ["MailHealth:Notifications:Channels:mail:CaFile"] = Peers.CaFile,
        ["MailHealth:Notifications:Channels:mail:Timeout"] = "00:00:20",
    };

    [Theory]
    [InlineData(587, "Auto")]
    [InlineData(587, "StartTls")]
    [InlineData(465, "Auto")]
    [InlineData(465, "SslOnConnect")]
    public async Task Send_Submission_DeliveredIntoTheMailbox(int port, string security)
    {
        using var services = new NotificationServices(Settings(port, security: security));
        var notification = NotificationServices.Sample("mail");

        var result = await services.Sender.SendAsync(notification, CancellationToken.None);

        Assert.Equal(DeliveryOutcome.Delivered, result.Outcome);
        var messageId = $"{notification.Id}@mailhealth.test";
        var delivered = await AlertMailbox.WaitForAsync(messageId, 2, Patience);
        // One copy in the shared Maildir per recipient (ops and oncall).
        Assert.Equal(2, delivered.Count);
        var message = delivered[0];
        Assert.Equal(notification.Title, message.Subject);
        Assert.Equal(messageId, message.MessageId);
        Assert.Equal("monitor@mailhealth.test", message.From.Mailboxes.Single().Address);
        Assert.Equal([$"ops@{AlertMailbox.Domain}", $"oncall@{AlertMailbox.Domain}"], message.To.Mailboxes.Select(m => m.Address));
        Assert.Equal(notification.Id, message.Headers["X-MailHealth-Delivery"]);
        var body = Assert.IsType<TextPart>(message.Body);
        Assert.True(body.IsPlain);
        Assert.StartsWith(notification.Text + "\n", body.Text.ReplaceLineEndings("\n"), StringComparison.Ordinal);
        Assert.Contains("Code:     TLS_CERT_EXPIRED", body.Text, StringComparison.Ordinal);
        Assert.Contains($"MailHealth notification {notification.Id}", body.Text, StringComparison.Ordinal);
        // Postfix accepted it from an authenticated TLS session (its Received line says so).
        Assert.Contains(message.Headers.Where(h => h.Field == "Received").Select(h => h.Value), r => r.Contains("ESMTPSA", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Send_Twice_SameMessageIdRecognisable()
    {
        using var services = new NotificationServices(Settings(587));
        var notification = NotificationServices.Sample("mail") with { Channel = "mail" };

        Assert.Equal(DeliveryOutcome.Delivered, (await services.Sender.SendAsync(notification, CancellationToken.None)).Outcome);
        Assert.Equal(DeliveryOutcome.Delivered, (await services.Sender.SendAsync(notification, CancellationToken.None)).Outcome);

        var messageId = $"{notification.Id}@mailhealth.test";
        var delivered = await AlertMailbox.WaitForAsync(messageId, 4, Patience);

        Assert.Equal(4, delivered.Count);
        Assert.All(delivered, m => Assert.Equal(messageId, m.MessageId));
    }

    [Theory]
    [InlineData(587)]
    [InlineData(465)]
    public async Task Send_WrongPassword_PermanentWithoutThePassword(int port)
    {
        const string wrong = "wrong-password-Zq81xv";
        using var services = new NotificationServices(Settings(port, password: wrong));
        var notification = NotificationServices.Sample("mail");

        var result = await services.Sender.SendAsync(notification, CancellationToken.None);

        Assert.Equal(DeliveryOutcome.PermanentFailure, result.Outcome);
        Assert.Equal("the server refused the login (AUTH failed): check UserName and Password", result.Reason);
        Assert.DoesNotContain(wrong, result.ToString(), StringComparison.Ordinal);
        Assert.DoesNotContain(wrong, services.AllLogText(), StringComparison.Ordinal);
        Assert.Empty(AlertMailbox.Read($"{notification.Id}@mailhealth.test"));
    }

    [Fact]
    public async Task Send_WithoutTheTestCa_CertificateRefused_Retryable()
    {
        var settings = Settings(465);
        settings.Remove("MailHealth:Notifications:Channels:mail:CaFile");
        using var services = new NotificationServices(settings);

        var result = await services.Sender.SendAsync(NotificationServices.Sample("mail"), CancellationToken.None);

        Assert.Equal(DeliveryOutcome.RetryableFailure, result.Outcome);
        Assert.StartsWith("TLS handshake failed (connect)", result.Reason, StringComparison.Ordinal);
    }
}
