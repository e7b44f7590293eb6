using System.Net;
using System.Net.Sockets;
using MailHealth.Network;
using MailHealth.Testing.Servers;

namespace MailHealth.Core.Tests.Network;

/// <summary>
/// The one connect of the monitor: a refused address never gets a socket. Every listener here is
/// on loopback; a refusal is shown by a listener that accepts nothing, the never ranges by a
/// refusal that comes before a cancelled token could act, so no test ever sends to them.
/// </summary>
public sealed class GuardedConnectorTests
{
    private static readonly AddressPolicy Everything = new([IPNetwork.Parse("0.0.0.0/0"), IPNetwork.Parse("::/0")]);

    [Theory]
    [InlineData("169.254.169.254")]
    [InlineData("168.63.129.16")]
    [InlineData("100.100.100.200")]
    [InlineData("fd00:ec2::254")]
    [InlineData("::ffff:169.254.169.254")]
    [InlineData("64:ff9b::a83f:8110")]
    [InlineData("224.0.0.1")]
    [InlineData("255.255.255.255")]
    [InlineData("0.0.0.0")]
    [InlineData("fe80::1")]
    public async Task Connect_NeverAddress_RefusedBeforeAnySocketEvenWhenEverythingIsAllowed(string text)
    {
        // The token is cancelled already: a connect attempt would end in OperationCanceledException
        // without sending anything. The refusal instead shows the policy spoke first.
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        var refused = await Assert.ThrowsAsync<AddressRefusedException>(() => GuardedConnector.ConnectAsync(Everything, new IPEndPoint(IPAddress.Parse(text), 80), cancelled.Token));

        var verdict = Assert.Single(refused.Verdicts);
        Assert.Equal(AddressRule.Never, verdict.Rule);
        Assert.Contains("never connected to, whatever the settings say", refused.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Connect_LoopbackNotAllowed_ListenerSeesNoConnection()
    {
        // Accepts and hangs up at once.
        await using var listener = new SocketServer((_, _) => Task.CompletedTask);

        var refused = await Assert.ThrowsAsync<AddressRefusedException>(() => GuardedConnector.ConnectAsync(AddressPolicy.PublicOnly, listener.EndPoint, CancellationToken.None));
        Assert.StartsWith("not connected: 127.0.0.1 (loopback, 127.0.0.0/8, RFC 1122 section 3.2.1.3): refused unless MailHealth:Checks:AllowedNetworks names it", refused.Message, StringComparison.Ordinal);

        // The same listener, allowed: once it has hung up on this connection it has accepted every
        // earlier one too (in order), and it counts this one only.
        using var socket = await GuardedConnector.ConnectAsync(AddressPolicy.Parse(["127.0.0.0/8"]), listener.EndPoint, CancellationToken.None);
        using var hungUp = new CancellationTokenSource(TimeSpan.FromSeconds(10));
        Assert.Equal(0, await socket.ReceiveAsync(new byte[1], SocketFlags.None, hungUp.Token));
        Assert.Equal(1, listener.Accepted);
    }

    [Fact]
    public async Task ConnectHost_EveryAddressRefused_NamesEachAndConnectsNowhere()
    {
        await using var listener = new SocketServer((_, _) => Task.CompletedTask);
        var resolved = new[] { IPAddress.Loopback, IPAddress.IPv6Loopback };

        var refused = await Assert.ThrowsAsync<AddressRefusedException>(() => GuardedConnector.ConnectAsync(
            AddressPolicy.PublicOnly, "receiver.example", listener.Port, (_, _) => Task.FromResult(resolved), CancellationToken.None));

        Assert.Equal(resolved, refused.Verdicts.Select(v => v.Address));
        Assert.Equal(0, listener.Accepted);
    }

    [Fact]
    public async Task ConnectHost_SomeAddressesRefused_ConnectsToAPermittedOneOnly()
    {
        // Two listeners on one port: 127.0.0.2 comes first in the answer but is not allowed.
        await using var permitted = new SocketServer((_, _) => Task.CompletedTask);
        await using var refused = new SocketServer((_, _) => Task.CompletedTask, IPAddress.Parse("127.0.0.2"), permitted.Port);
        var policy = AddressPolicy.Parse(["127.0.0.1/32"]);

        using var socket = await GuardedConnector.ConnectAsync(
            policy, "receiver.example", permitted.Port, (_, _) => Task.FromResult(new[] { refused.Address, permitted.Address }), CancellationToken.None);

        Assert.Equal(permitted.EndPoint, socket.RemoteEndPoint);
        Assert.Equal(0, refused.Accepted);
    }

    [Fact]
    public async Task ConnectHost_NothingListens_TheConnectError()
    {
        int port;
        await using (var closed = new SocketServer((_, _) => Task.CompletedTask))
        {
            port = closed.Port;
        }

        var error = await Assert.ThrowsAsync<SocketException>(() => GuardedConnector.ConnectAsync(
            AddressPolicy.Parse(["127.0.0.0/8"]), "receiver.example", port, (_, _) => Task.FromResult(new[] { IPAddress.Loopback }), CancellationToken.None));

        Assert.Equal(SocketError.ConnectionRefused, error.SocketErrorCode);
    }
}
