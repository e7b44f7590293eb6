using System.Net;
using System.Net.Sockets;

namespace MailHealth.Testing;

/// <summary>How a <see cref="HostileDnsServer"/> misbehaves.</summary>
public enum HostileDnsBehavior
{
    /// <summary>Reads every question and never answers.</summary>
    Silent,

    /// <summary>Answers with the question's id followed by bytes that are no DNS message.</summary>
    Garbage,

    /// <summary>Answers with a message shorter than a DNS header.</summary>
    Truncated,
}

/// <summary>
/// A UDP "DNS server" on loopback that plays a dead or broken one (a blocklist that went away, a
/// middlebox that mangles answers). Dispose to stop it.
/// </summary>
public sealed class HostileDnsServer : IAsyncDisposable
{
    private readonly UdpClient _socket;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private int _questions;

    /// <param name="behavior">How it misbehaves.</param>
    /// <param name="bindTo">A loopback address in the caller's own range; port 0 picks a free port.</param>
    public HostileDnsServer(HostileDnsBehavior behavior, IPEndPoint bindTo)
    {
        Behavior = behavior;
        _socket = new UdpClient(bindTo);
        Endpoint = (IPEndPoint)_socket.Client.LocalEndPoint!;
        _loop = Task.Run(ServeAsync);
    }

    public HostileDnsBehavior Behavior { get; }

    public IPEndPoint Endpoint { get; }

    /// <summary>How many datagrams arrived: proves the client did ask.</summary>
    public int Questions => Volatile.Read(ref _questions);

    private async Task ServeAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            UdpReceiveResult received;
            try
            {
                received = await _socket.ReceiveAsync(_stop.Token);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            Interlocked.Increment(ref _questions);
            var reply = Behavior switch
            {
                HostileDnsBehavior.Garbage when received.Buffer.Length >= 2 =>
                    [received.Buffer[0], received.Buffer[1], 0x81, 0x80, 0x00, 0x01, 0x00, 0x05, 0xFF, 0xFF, 0xC0, 0x0C, 0xDE, 0xAD, 0xBE, 0xEF, 0x00],
                HostileDnsBehavior.Truncated => new byte[] { 0x12, 0x34, 0x81 },
                _ => null,
            };
            if (reply is not null)
            {
                try
                {
                    await _socket.SendAsync(reply, received.RemoteEndPoint, _stop.Token);
                }
                catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
                {
                    return;
                }
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _socket.Dispose();
        await _loop;
        _stop.Dispose();
    }
}
