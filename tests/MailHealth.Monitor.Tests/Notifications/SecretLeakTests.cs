using MailHealth.Monitor.Notifications;
using MailHealth.Testing;
using MailHealth.Testing.Http;
using MailHealth.Testing.Mail;

namespace MailHealth.Monitor.Tests.Notifications;

/// <summary>URLs, signing keys and passwords never reach a DeliveryResult (its reason or the receiver's answer) or a log line, whatever fails.</summary>
public sealed class SecretLeakTests
{
    private const string SigningKey = "signing-key-LEAKCHECK-4f1d2c";
    private const string WrongPassword = "smtp-password-LEAKCHECK-9b7e";
    private const string SlackPath = "/services/T0LEAK/B0LEAK/LEAKCHECKslacktoken";
    private const string TeamsPath = "/workflows/LEAKCHECKteamsflow/invoke";

    [Fact]
    public async Task EveryFailureAndSuccess_NoSecretInReasonsOrLogs()
    {
        await using var failing = new HttpReceiver().Script(ScriptedReply.Answer(500), ScriptedReply.Answer(400));
        await using var teams = new HttpReceiver { Default = ScriptedReply.Answer(403) };
        var settings = EmailChannelTests.Settings(587, password: WrongPassword);
        settings["MailHealth:Notifications:Channels:ops:Type"] = "webhook";
        settings["MailHealth:Notifications:Channels:ops:Url"] = failing.Url("/hook?token=LEAKCHECKquery").ToString();
        settings["MailHealth:Notifications:Channels:ops:Secret"] = SigningKey;
        settings["MailHealth:Notifications:Channels:chat:Type"] = "slack";
        settings["MailHealth:Notifications:Channels:chat:Url"] = $"http://{Peers.Address(71, 3)}:9{SlackPath}";
        settings["MailHealth:Notifications:Channels:team:Type"] = "teams";
        settings["MailHealth:Notifications:Channels:team:Url"] = teams.Url(TeamsPath).ToString();
        using var services = new NotificationServices(settings);

        List<DeliveryResult> results =
        [
            await services.Sender.SendAsync(NotificationServices.Sample("ops"), CancellationToken.None),
            await services.Sender.SendAsync(NotificationServices.Sample("ops"), CancellationToken.None),
            await services.Sender.SendAsync(NotificationServices.Sample("ops"), CancellationToken.None),
            await services.Sender.SendAsync(NotificationServices.Sample("chat"), CancellationToken.None),
            await services.Sender.SendAsync(NotificationServices.Sample("team"), CancellationToken.None),
            await services.Sender.SendAsync(NotificationServices.Sample("mail"), CancellationToken.None),
        ];

        // Each kind of outcome happened, so each code path was looked at.
        Assert.Equal(
            [DeliveryOutcome.RetryableFailure, DeliveryOutcome.PermanentFailure, DeliveryOutcome.Delivered, DeliveryOutcome.RetryableFailure,
                DeliveryOutcome.PermanentFailure, DeliveryOutcome.PermanentFailure],
            results.Select(r => r.Outcome));
        var logs = services.AllLogText();
        Assert.Equal(6, services.Logs.GetSnapshot().Count(r => r.Id.Id is >= 7100 and <= 7102));
        // The receivers' answers too: they are shown to whoever runs a notification test.
        var everything = string.Join("\n", results.Select(r => $"{r} {r.Answer}")) + "\n" + logs;
        foreach (var secret in new[] { SigningKey, WrongPassword, "LEAKCHECK", AlertMailbox.Credentials().Password, failing.Url().Authority, "token=" })
        {
            Assert.DoesNotContain(secret, everything, StringComparison.Ordinal);
        }
    }
}
