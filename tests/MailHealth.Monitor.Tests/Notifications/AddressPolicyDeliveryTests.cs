using MailHealth.Monitor.Notifications;
using MailHealth.Network;
using MailHealth.Testing;
using MailHealth.Testing.Servers;

namespace MailHealth.Monitor.Tests.Notifications;

/// <summary>
/// Webhooks and e-mail pass the address policy (docs/address-policy.md): a receiver whose name
/// resolves to a refused address is not connected to, for good (a permanent failure naming the
/// range, never the URL); a webhook URL is https unless it is a loopback receiver the setting
/// allows; an address that can never work stops start-up.
/// </summary>
public sealed class AddressPolicyDeliveryTests
{
    private const string Channels = "MailHealth:Notifications:Channels";

    /// <summary>A receiver on 127.0.0.1 that accepts and hangs up: a delivery to it fails only after it was counted.</summary>
    private static SocketServer HangingUpReceiver() => new((_, _) => Task.CompletedTask);

    private static Dictionary<string, string?> Webhook(Uri url) => new()
    {
        [$"{Channels}:ops:Type"] = "webhook",
        [$"{Channels}:ops:Url"] = url.ToString(),
        [$"{Channels}:ops:Secret"] = "whsec-0123456789abcdef-test",
        [$"{Channels}:ops:Timeout"] = "00:00:10",
    };

    private static Dictionary<string, string?> Email(int port) => new()
    {
        [$"{Channels}:mail:Type"] = "email",
        [$"{Channels}:mail:Host"] = "localhost",
        [$"{Channels}:mail:Port"] = port.ToString(System.Globalization.CultureInfo.InvariantCulture),
        [$"{Channels}:mail:Security"] = "StartTls",
        [$"{Channels}:mail:UserName"] = "monitor",
        [$"{Channels}:mail:Password"] = "not-used-here",
        [$"{Channels}:mail:From"] = "monitor@mailhealth.test",
        [$"{Channels}:mail:To:0"] = "ops@mailhealth.test",
        [$"{Channels}:mail:Timeout"] = "00:00:10",
    };

    private static async Task<DeliveryResult> SendAsync(Dictionary<string, string?> settings, string channel, AddressPolicy policy)
    {
        using var services = new NotificationServices(settings, addressPolicy: policy);
        return await services.Sender.SendAsync(NotificationServices.Sample(channel), CancellationToken.None);
    }

    [Fact]
    public async Task Webhook_ReceiverResolvesToLoopbackNotAllowed_PermanentFailureAndNoConnection()
    {
        await using var receiver = HangingUpReceiver();
        // A name, so that start-up cannot tell: the refusal happens on the resolved address.
        var settings = Webhook(new Uri($"https://localhost:{receiver.Port}/hook"));

        var refused = await SendAsync(settings, "ops", AddressPolicy.PublicOnly);

        Assert.Equal(DeliveryOutcome.PermanentFailure, refused.Outcome);
        Assert.StartsWith("not connected: the destination's addresses are loopback (127.0.0.0/8, RFC 1122 section 3.2.1.3): refused unless MailHealth:Checks:AllowedNetworks names it", refused.Reason, StringComparison.Ordinal);
        Assert.DoesNotContain(receiver.Port.ToString(System.Globalization.CultureInfo.InvariantCulture), refused.Reason, StringComparison.Ordinal);

        var allowed = await SendAsync(settings, "ops", Peers.Options().AddressPolicy);
        Assert.Equal(DeliveryOutcome.RetryableFailure, allowed.Outcome);
        Assert.Equal(1, receiver.Accepted);
    }

    [Fact]
    public async Task Email_ServerResolvesToLoopbackNotAllowed_PermanentFailureAndNoConnection()
    {
        await using var server = HangingUpReceiver();
        var settings = Email(server.Port);

        var refused = await SendAsync(settings, "mail", AddressPolicy.PublicOnly);

        Assert.Equal(DeliveryOutcome.PermanentFailure, refused.Outcome);
        Assert.StartsWith("not connected: the destination's addresses are loopback (127.0.0.0/8", refused.Reason, StringComparison.Ordinal);

        var allowed = await SendAsync(settings, "mail", Peers.Options().AddressPolicy);
        Assert.Equal(DeliveryOutcome.RetryableFailure, allowed.Outcome);
        Assert.Equal(1, server.Accepted);
    }

    [Theory]
    [InlineData("https://169.254.169.254/hook", "Url: the host is cloud instance metadata (Azure, AWS, Google Cloud) (169.254.169.254/32, the clouds' metadata service documentation): never connected to, whatever the settings say")]
    [InlineData("https://[fe80::1]/hook", "Url: the host is link-local (fe80::/10, RFC 4291 section 2.5.6): never connected to, whatever the settings say")]
    [InlineData("https://10.0.0.5/hook", "Url: the host is private-use (10.0.0.0/8, RFC 1918): refused unless MailHealth:Checks:AllowedNetworks names it")]
    [InlineData("http://hooks.example/hook", "Url: plain http is only for a loopback receiver (127.0.0.1, [::1], localhost); use https")]
    [InlineData("http://10.0.0.5/hook", "Url: plain http is only for a loopback receiver (127.0.0.1, [::1], localhost); use https")]
    public void Validate_WebhookUrlThatCannotWork_StopsStartUp(string url, string problem)
    {
        var failures = NotificationOptionsTests.StartUpFailures(Webhook(new Uri(url)));

        Assert.Equal([$"{Channels}:ops:{problem}"], failures);
    }

    [Theory]
    [InlineData("http://127.0.0.1:9/hook", "Url: the host is loopback (127.0.0.0/8, RFC 1122 section 3.2.1.3): refused unless MailHealth:Checks:AllowedNetworks names it")]
    [InlineData("http://localhost:9/hook", "Url: plain http to a loopback receiver needs loopback allowed (MailHealth:Checks:AllowedNetworks); use https")]
    public void Validate_PlainHttpToLoopbackNotAllowed_StopsStartUp(string url, string problem)
    {
        var failures = NotificationOptionsTests.StartUpFailures(Webhook(new Uri(url)), AddressPolicy.PublicOnly);

        Assert.Equal([$"{Channels}:ops:{problem}"], failures);
    }

    [Theory]
    [InlineData("http://127.0.0.1:9/hook")]
    [InlineData("http://[::1]:9/hook")]
    [InlineData("http://localhost:9/hook")]
    [InlineData("https://hooks.example/hook")]
    public void Validate_HttpsOrAnAllowedLoopbackReceiver_Accepted(string url)
    {
        Assert.Empty(NotificationOptionsTests.StartUpFailures(Webhook(new Uri(url))));
    }

    [Fact]
    public void Validate_EmailServerOnThePlatformAddress_StopsStartUp()
    {
        var settings = Email(587);
        settings[$"{Channels}:mail:Host"] = "168.63.129.16";

        var failures = NotificationOptionsTests.StartUpFailures(settings);

        Assert.Equal([$"{Channels}:mail:Host: the host is Azure platform address (WireServer, DNS, health probes) (168.63.129.16/32, Azure's documentation of 168.63.129.16): never connected to, whatever the settings say"], failures);
    }
}
