using MailHealth.Checks;
using MailHealth.Monitor.Notifications;
using MailHealth.Network;
using MailHealth.Testing;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace MailHealth.Monitor.Tests.Notifications;

public sealed class NotificationOptionsTests
{
    private const string Channels = "MailHealth:Notifications:Channels";

    [Fact]
    public void Bind_EveryChannelType_BoundWithDefaults()
    {
        using var services = new NotificationServices(new Dictionary<string, string?>
        {
            [$"{Channels}:ops:Type"] = "webhook",
            [$"{Channels}:ops:Url"] = "https://hooks.example/ops",
            [$"{Channels}:ops:Secret"] = "0123456789abcdef0123",
            [$"{Channels}:ops:Tags:0"] = "prod",
            [$"{Channels}:ops:Events:0"] = "alerts",
            [$"{Channels}:ops:Events:1"] = "changes",
            [$"{Channels}:ops:MinimumSeverity"] = "critical",
            [$"{Channels}:chat:Type"] = "slack",
            [$"{Channels}:chat:Url"] = "https://hooks.slack.example/services/T/B/X",
            [$"{Channels}:team:Type"] = "teams",
            [$"{Channels}:team:Url"] = "https://teams.example/workflows/1",
            [$"{Channels}:mail:Type"] = "email",
            [$"{Channels}:mail:Host"] = "smtp.example",
            [$"{Channels}:mail:Port"] = "465",
            [$"{Channels}:mail:UserName"] = "monitor",
            [$"{Channels}:mail:Password"] = "hunter2hunter2",
            [$"{Channels}:mail:From"] = "MailHealth <monitor@example.com>",
            [$"{Channels}:mail:To:0"] = "ops@example.com",
            [$"{Channels}:mail:To:1"] = "oncall@example.com",
        });

        var options = services.Get<IOptions<NotificationOptions>>().Value;

        Assert.Equal(ChannelType.Webhook, options.Channels["ops"].Type);
        Assert.Equal(Severity.Critical, options.Channels["ops"].MinimumSeverity);
        Assert.Equal([NotificationEvent.Alerts, NotificationEvent.Changes], options.Channels["ops"].Events);
        Assert.Equal(ChannelType.Slack, options.Channels["chat"].Type);
        Assert.True(options.Channels["chat"].Receives(NotificationEvent.Alerts));
        Assert.False(options.Channels["chat"].Receives(NotificationEvent.Changes));
        Assert.Equal(Severity.Info, options.Channels["chat"].MinimumSeverity);
        Assert.Equal(ChannelType.Email, options.Channels["mail"].Type);
        Assert.Equal(EmailSecurity.Auto, options.Channels["mail"].Security);
        Assert.Equal(2, options.Channels["mail"].To.Count);
        Assert.Equal(TimeSpan.FromSeconds(30), options.Channels["mail"].Timeout);
        Assert.Equal(6, options.Retry.MaxAttempts);
        Assert.Equal(TimeSpan.FromSeconds(30), options.Retry.InitialBackoff);
        Assert.Equal(TimeSpan.FromMinutes(30), options.Retry.MaxBackoff);
        Assert.Equal(["chat", "mail", "ops", "team"], services.Channels.Names.Order(StringComparer.Ordinal));
    }

    [Theory]
    [InlineData("Url", "ftp://hooks.example/x", "MailHealth:Notifications:Channels:ops:Url: not an absolute http(s) URL")]
    [InlineData("Url", "/relative/hook", "MailHealth:Notifications:Channels:ops:Url: not an absolute http(s) URL")]
    [InlineData("Secret", "tiny-k3y", "MailHealth:Notifications:Channels:ops:Secret: the signing key is missing or shorter than 16 characters")]
    [InlineData("Timeout", "00:00:00", "MailHealth:Notifications:Channels:ops:Timeout: 00:00:00 is not in 00:00:01-00:10:00")]
    public void Validate_BadWebhookSetting_MessageNamesPathNotValue(string setting, string value, string expected)
    {
        var settings = new Dictionary<string, string?>
        {
            [$"{Channels}:ops:Type"] = "webhook",
            [$"{Channels}:ops:Url"] = "https://hooks.example/ops",
            [$"{Channels}:ops:Secret"] = "0123456789abcdef0123",
        };
        settings[$"{Channels}:ops:{setting}"] = value;

        var failures = StartUpFailures(settings);

        Assert.Contains(expected, failures);
        if (setting != "Timeout")
        {
            Assert.DoesNotContain(failures, f => f.Contains(value, StringComparison.Ordinal));
        }
    }

    [Fact]
    public void Validate_BadEmailChannel_EveryProblemNamedByPath()
    {
        var failures = StartUpFailures(new Dictionary<string, string?>
        {
            [$"{Channels}:mail:Type"] = "email",
            [$"{Channels}:mail:Port"] = "70000",
            [$"{Channels}:mail:Password"] = "s3cret-password",
            [$"{Channels}:mail:From"] = "not an address",
            [$"{Channels}:mail:To:0"] = "ops@example.com",
            [$"{Channels}:mail:To:1"] = "@@",
            [$"{Channels}:mail:CaFile"] = "/nonexistent/ca.pem",
        });

        Assert.Contains("MailHealth:Notifications:Channels:mail:Host: missing or not a host name or address", failures);
        Assert.Contains("MailHealth:Notifications:Channels:mail:Port: 70000 is not in 1-65535", failures);
        Assert.Contains("MailHealth:Notifications:Channels:mail:UserName: missing (submission needs AUTH)", failures);
        Assert.Contains("MailHealth:Notifications:Channels:mail:From: missing or not an e-mail address", failures);
        Assert.Contains("MailHealth:Notifications:Channels:mail:To:1: not an e-mail address", failures);
        Assert.Contains(failures, f => f.StartsWith("MailHealth:Notifications:Channels:mail:CaFile: cannot read certificates", StringComparison.Ordinal));
        Assert.DoesNotContain(failures, f => f.Contains("s3cret-password", StringComparison.Ordinal));
    }

    [Fact]
    public void Validate_BadChannelNameAndRetry_Refused()
    {
        var failures = StartUpFailures(new Dictionary<string, string?>
        {
            [$"{Channels}:ops team:Type"] = "slack",
            [$"{Channels}:ops team:Url"] = "https://hooks.example/x",
            ["MailHealth:Notifications:Retry:MaxAttempts"] = "0",
            ["MailHealth:Notifications:Retry:InitialBackoff"] = "00:10:00",
            ["MailHealth:Notifications:Retry:MaxBackoff"] = "00:05:00",
        });

        Assert.Contains("MailHealth:Notifications:Channels:ops team: a channel name has 1-64 letters, digits, '-' or '_'", failures);
        Assert.Contains("MailHealth:Notifications:Retry:MaxAttempts: 0 is not in 1-100", failures);
        Assert.Contains("MailHealth:Notifications:Retry:MaxBackoff: 00:05:00 is not in InitialBackoff-1.00:00:00", failures);
    }

    [Fact]
    public void Validate_TestCaFile_Accepted()
    {
        var failures = StartUpFailures(new Dictionary<string, string?>
        {
            [$"{Channels}:mail:Type"] = "email",
            [$"{Channels}:mail:Host"] = "127.0.0.1",
            [$"{Channels}:mail:Port"] = "587",
            [$"{Channels}:mail:Security"] = "StartTls",
            [$"{Channels}:mail:UserName"] = "u",
            [$"{Channels}:mail:Password"] = "p",
            [$"{Channels}:mail:From"] = "monitor@example.com",
            [$"{Channels}:mail:To:0"] = "ops@example.com",
            [$"{Channels}:mail:CaFile"] = Peers.CaFile,
        });

        Assert.Empty(failures);
    }

    [Fact]
    public void Bind_UnconvertibleValues_ChannelNotSilentlyDropped()
    {
        // The configuration binder drops a dictionary entry it cannot convert; start-up must not.
        var failures = StartUpFailures(new Dictionary<string, string?>
        {
            [$"{Channels}:ops:Type"] = "pager",
            [$"{Channels}:ops:Url"] = "https://hooks.example/ops",
            [$"{Channels}:mail:Type"] = "email",
            [$"{Channels}:mail:Port"] = "submission",
        });

        Assert.Contains("MailHealth:Notifications:Channels:ops:Type: not one of webhook, slack, teams, email", failures);
        Assert.Contains("MailHealth:Notifications:Channels:mail: a value cannot be read (check Port, Timeout, Security, MinimumSeverity, Events)", failures);
    }

    /// <summary>What a host's start-up validation (IStartupValidator, run by the host before it starts) refuses.</summary>
    /// <param name="settings">The notification settings.</param>
    /// <param name="addressPolicy">Default: the peers' (loopback allowed).</param>
    internal static IReadOnlyList<string> StartUpFailures(Dictionary<string, string?> settings, AddressPolicy? addressPolicy = null)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        using var provider = new ServiceCollection().AddLogging().AddSingleton(addressPolicy ?? Peers.Options().AddressPolicy).AddMailHealthNotifications(configuration).BuildServiceProvider();
        try
        {
            provider.GetRequiredService<IStartupValidator>().Validate();
            return [];
        }
        catch (OptionsValidationException e)
        {
            return [.. e.Failures];
        }
        catch (AggregateException e)
        {
            return [.. e.InnerExceptions.OfType<OptionsValidationException>().SelectMany(x => x.Failures)];
        }
    }
}
