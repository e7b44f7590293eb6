using System.Text.Json;
using MailHealth.Testing;
using MailHealth.Testing.Http;
using MailHealth.Testing.Mail;
using MailHealth.Testing.Servers;
using MimeKit;

namespace MailHealth.Cli.Tests;

/// <summary>
/// <c>mailhealth notify test</c> on the peers: e-mail through Postfix's alerts.test submission into
/// the Maildir, webhooks to receivers that take the test, refuse it, or are not there. Each channel
/// is reported with what its receiver answered, never with a secret; the exit code says whether all
/// were delivered.
/// </summary>
public sealed class NotifyCommandTests
{
    private const string Secret = "cli-signing-key-0123456789";

    private static readonly TimeSpan Patience = TimeSpan.FromSeconds(30);

    /// <summary>A config file (as serve reads it) with these channels; the e-mail channel's password only when given.</summary>
    private static async Task<string> ConfigAsync(string mail, string? password, params (string Name, Uri Url)[] webhooks)
    {
        var channels = new Dictionary<string, object>
        {
            [mail] = new Dictionary<string, object?>
            {
                ["Type"] = "email",
                ["Host"] = AlertMailbox.Address.ToString(),
                ["Port"] = 465,
                ["UserName"] = AlertMailbox.Credentials().UserName,
                ["Password"] = password,
                ["From"] = "MailHealth <monitor@mailhealth.test>",
                ["To"] = new[] { $"ops@{AlertMailbox.Domain}" },
                ["CaFile"] = Peers.CaFile,
            },
        };
        foreach (var (name, url) in webhooks)
        {
            channels[name] = new Dictionary<string, object> { ["Type"] = "webhook", ["Url"] = url.ToString(), ["Secret"] = Secret, ["Timeout"] = "00:00:10" };
        }

        var json = JsonSerializer.Serialize(new { targets = Array.Empty<object>(), MailHealth = new { Checks = new { AllowedNetworks = Peers.LoopbackNetworks }, Notifications = new { Channels = channels } } });
        var path = Path.Combine(Directory.CreateTempSubdirectory("notify-config-").FullName, "serve.json");
        await File.WriteAllTextAsync(path, json);
        return path;
    }

    /// <summary>A channel name this test alone uses: its test e-mail's subject names it in the shared Maildir.</summary>
    private static string UniqueName(string prefix) => $"{prefix}-{Guid.NewGuid():N}"[..24];

    [Fact]
    public async Task EveryChannel_ReportedWithItsAnswer_Exit1WhenOneWasNotDelivered()
    {
        await using var ok = new HttpReceiver();
        await using var broken = new HttpReceiver { Default = new ScriptedReply(500, Body: "out of disk") };
        int closedPort;
        await using (var closed = new SocketServer((_, _) => Task.CompletedTask, Peers.Address(71, 2)))
        {
            closedPort = closed.Port;
        }

        var mail = UniqueName("mail");
        var config = await ConfigAsync(mail, AlertMailbox.Credentials().Password,
            ("ok", ok.Url("/hooks/ok")), ("broken", broken.Url()), ("gone", new Uri($"http://{Peers.Address(71, 2)}:{closedPort}/hook")));

        var outcome = await CliRunner.RunAsync("notify", "test", "--config", config);

        Assert.Equal(ExitCodes.NotDelivered, outcome.ExitCode);
        var lines = outcome.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(
            [
                "broken (webhook): refused: HTTP 500 (InternalServerError). The receiver answered: HTTP 500 InternalServerError: out of disk",
                "gone (webhook): failed: request failed (ConnectionError). No answer.",
            ],
            lines[..2]);
        Assert.Matches($"^{mail} \\(email\\): delivered\\. The receiver answered: 250 2\\.0\\.0 Ok: queued as [0-9A-F]+$", lines[2]);
        Assert.Equal("ok (webhook): delivered. The receiver answered: HTTP 200 OK: ok", lines[3]);
        Assert.Equal("2 of 4 channel(s) delivered the test.", lines[4]);
        Assert.Single(ok.Requests);
        Assert.Single(broken.Requests);
        var delivered = await AlertMailbox.WaitForAsync(m => m.Subject == $"[TEST] MailHealth: test notification to channel {mail}", 1, Patience);
        Assert.Contains("Nothing is wrong", Assert.IsType<TextPart>(Assert.Single(delivered).Body).Text, StringComparison.Ordinal);
        foreach (var secret in new[] { Secret, AlertMailbox.Credentials().Password, ok.Url().Authority, "/hooks/ok" })
        {
            Assert.DoesNotContain(secret, outcome.Output + outcome.Error, StringComparison.Ordinal);
        }
    }

    [Fact]
    public async Task OneChannel_PasswordFromTheEnvironment_Json_Exit0()
    {
        await using var other = new HttpReceiver();
        var mail = UniqueName("mail");
        var config = await ConfigAsync(mail, password: null, ("other", other.Url()));
        var password = AlertMailbox.Credentials().Password;
        var environment = new Dictionary<string, string> { [$"MailHealth__Notifications__Channels__{mail}__Password"] = password };

        var outcome = await CliRunner.RunProcessAsync(environment, "notify", "test", "--config", config, "--channel", mail.ToUpperInvariant(), "--json");

        Assert.True(outcome.ExitCode == ExitCodes.Ok, outcome.Error);
        using var json = JsonDocument.Parse(outcome.Output);
        var result = Assert.Single(json.RootElement.GetProperty("channels").EnumerateArray().ToList());
        Assert.Equal((mail, "email", "delivered"), (result.GetProperty("name").GetString(), result.GetProperty("type").GetString(), result.GetProperty("outcome").GetString()));
        var id = result.GetProperty("notificationId").GetString();
        Assert.Single(await AlertMailbox.WaitForAsync($"{id}@mailhealth.test", 1, Patience));
        // Only the channel asked for.
        Assert.Empty(other.Requests);
        Assert.DoesNotContain(password, outcome.Output + outcome.Error, StringComparison.Ordinal);
    }

    [Fact]
    public async Task UnknownChannel_Exit2_NamesTheConfiguredOnes()
    {
        var config = await ConfigAsync("mail", "password-not-used-0123");

        var outcome = await CliRunner.RunAsync("notify", "test", "--config", config, "--channel", "pager");

        Assert.Equal(ExitCodes.Usage, outcome.ExitCode);
        Assert.Equal("mailhealth: --channel pager: no channel of that name is configured (configured: mail)", outcome.Error.Trim());
        Assert.Empty(outcome.Output);
    }

    [Fact]
    public async Task BadSettings_Exit2_EachProblemOnceByItsPath_NothingSent()
    {
        await using var receiver = new HttpReceiver();
        var config = await ConfigAsync("mail", password: null, ("hook", receiver.Url()));
        var text = (await File.ReadAllTextAsync(config)).Replace("\"MailHealth\":{", "\"MailHealth\":{\"Monitor\":{\"PublicUrl\":\"ftp://mailhealth.example/\"},", StringComparison.Ordinal);
        await File.WriteAllTextAsync(config, text);

        var outcome = await CliRunner.RunAsync("notify", "test", "--config", config);

        Assert.Equal(ExitCodes.Usage, outcome.ExitCode);
        var lines = outcome.Error.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Single(lines, l => l.StartsWith("mailhealth: MailHealth:Monitor:PublicUrl: not an absolute http(s) URL", StringComparison.Ordinal));
        Assert.Single(lines, l => l == "mailhealth: MailHealth:Notifications:Channels:mail:Password: missing (submission needs AUTH)");
        Assert.Empty(receiver.Requests);
    }

    [Fact]
    public async Task NoChannel_Exit2()
    {
        var path = Path.Combine(Directory.CreateTempSubdirectory("notify-config-").FullName, "serve.json");
        await File.WriteAllTextAsync(path, """{ "targets": [] }""");

        var outcome = await CliRunner.RunAsync("notify", "test", "--config", path);

        Assert.Equal(ExitCodes.Usage, outcome.ExitCode);
        Assert.Contains("no notification channel is configured (MailHealth:Notifications:Channels)", outcome.Error, StringComparison.Ordinal);
    }
}
