using System.Buffers.Binary;
using System.Diagnostics;
using System.Net;
using System.Net.Sockets;
using MailHealth.Testing.Latency;
using MailHealth.Testing.Servers;

namespace MailHealth.Core.Tests.Suite;

/// <summary>
/// The delaying proxies the internet-like fleet puts between the monitor and the mail hosts and
/// between the resolver and the authoritative server (bench/README.md), on loopback sockets of
/// their own: bytes arrive whole and in order, half-closes pass, a stalled connection holds no
/// other back, DNS answers go back to their asker under its own ID, and nothing arrives before
/// its delay (lower bounds only: a slow machine may add time, never remove it).
/// </summary>
public sealed class LatencyProxyTests
{
    private static readonly TimeSpan Bound = TimeSpan.FromSeconds(10);
    private static readonly TimeSpan Delay = TimeSpan.FromMilliseconds(40);

    // Timers may fire up to a millisecond before their due time (their clock's granularity).
    private static readonly TimeSpan Granularity = TimeSpan.FromMilliseconds(2);

    [Fact]
    public async Task Tcp_RelaysEveryByteInOrder_BothWays_AndTheHalfClose()
    {
        await using var echo = new SocketServer(EchoUntilEndAsync);
        await using var proxy = TcpDelayProxy.Start([(Loopback(), echo.EndPoint)], new LinkDelay(Delay));
        var sent = new byte[1024 * 1024 + 123];
        new Random(17).NextBytes(sent);

        using var client = await ConnectAsync(proxy.Endpoints[0]);
        var reading = ReadToEndAsync(client);
        for (var offset = 0; offset < sent.Length; offset += 7000)
        {
            await client.SendAsync(sent.AsMemory(offset, Math.Min(7000, sent.Length - offset)));
        }

        client.Shutdown(SocketShutdown.Send);
        var received = await reading.WaitAsync(Bound);

        Assert.Equal(sent, received);
        Assert.Equal(1, proxy.Counters.Connections);
        Assert.Equal(2L * sent.Length, proxy.Counters.TcpBytes);
    }

    [Fact]
    public async Task Tcp_TheFirstReply_ComesNoSoonerThanTheHandshakeAndOneRoundTrip()
    {
        await using var echo = new SocketServer(EchoUntilEndAsync);
        await using var proxy = TcpDelayProxy.Start([(Loopback(), echo.EndPoint)], new LinkDelay(Delay));
        var clock = Stopwatch.StartNew();
        using var client = await ConnectAsync(proxy.Endpoints[0]);
        await client.SendAsync("ping"u8.ToArray());
        var reply = new byte[4];
        await client.ReceiveAsync(reply).WaitAsync(Bound);
        var first = clock.Elapsed;

        // Then a second exchange on the open connection: one round trip, no handshake.
        clock.Restart();
        await client.SendAsync("pong"u8.ToArray());
        await client.ReceiveAsync(reply).WaitAsync(Bound);

        Assert.True(first >= (Delay * 4) - Granularity, $"first reply after {first.TotalMilliseconds} ms");
        Assert.True(clock.Elapsed >= (Delay * 2) - Granularity, $"second reply after {clock.Elapsed.TotalMilliseconds} ms");
        Assert.Equal("pong"u8.ToArray(), reply);
    }

    [Fact]
    public async Task Tcp_AConnectionWhoseServerStopsReading_HoldsNoOtherBack()
    {
        var stalled = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
        await using var server = new SocketServer(async (socket, stop) =>
        {
            // A small window of its own, so what waits for it is bounded (see the flood below).
            socket.ReceiveBufferSize = 4096;
            var first = new byte[1];
            await socket.ReceiveAsync(first, stop);
            if (first[0] == (byte)'S')
            {
                // Never reads again: the proxy's line to it fills and its pump waits on the send.
                stalled.TrySetResult();
                await Task.Delay(Timeout.Infinite, stop);
            }

            await socket.SendAsync(first, stop);
        });
        await using var proxy = TcpDelayProxy.Start([(Loopback(), server.EndPoint)], new LinkDelay(Delay));

        using var stuck = await ConnectAsync(proxy.Endpoints[0]);
        await stuck.SendAsync("S"u8.ToArray());
        await stalled.Task.WaitAsync(Bound);
        // More than every buffer on the way can hold (the client's send buffer, the proxy's receive
        // buffer, autotuned up to net.ipv4.tcp_rmem's 32 MiB here, its 1 MiB window, its send buffer,
        // the server's small one): the send stays unfinished while the server does not read.
        var flood = new byte[64 * 1024 * 1024];
        var flooding = stuck.SendAsync(flood);

        using var other = await ConnectAsync(proxy.Endpoints[0]);
        await other.SendAsync("x"u8.ToArray());
        var reply = new byte[1];
        Assert.Equal(1, await other.ReceiveAsync(reply).WaitAsync(Bound));
        Assert.Equal((byte)'x', reply[0]);
        Assert.False(flooding.IsCompleted);
    }

    [Fact]
    public async Task Tcp_ARefusedUpstream_ClosesTheClientsConnection()
    {
        // A port nothing listens on: bound and closed again.
        var closed = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        closed.Bind(Loopback());
        var nowhere = (IPEndPoint)closed.LocalEndPoint!;
        closed.Dispose();
        await using var proxy = TcpDelayProxy.Start([(Loopback(), nowhere)], new LinkDelay(Delay));

        using var client = await ConnectAsync(proxy.Endpoints[0]);
        var ended = await ReadToEndAsync(client).WaitAsync(Bound);

        Assert.Empty(ended);
        await WaitForAsync(() => proxy.Counters.ConnectionsOpen == 0);
    }

    [Fact]
    public async Task Udp_EachAnswerGoesToItsAsker_UnderItsOwnId_NoSoonerThanOneRoundTrip()
    {
        using var server = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        server.Bind(Loopback());
        using var stop = new CancellationTokenSource();
        var answering = AnswerWithQuestionAsync(server, stop.Token);
        await using var proxy = DnsUdpDelayProxy.Start(Loopback(), (IPEndPoint)server.LocalEndPoint!, new LinkDelay(Delay));

        // Two askers with the same ID at once: the proxy's own IDs keep their answers apart.
        var clock = Stopwatch.StartNew();
        var answers = await Task.WhenAll(AskAsync(proxy.Endpoint, 0x1234, "first"), AskAsync(proxy.Endpoint, 0x1234, "second")).WaitAsync(Bound);
        var elapsed = clock.Elapsed;

        Assert.Equal([(0x1234, "first"), (0x1234, "second")], answers);
        Assert.True(elapsed >= (Delay * 2) - Granularity, $"answered after {elapsed.TotalMilliseconds} ms");
        Assert.Equal(2, proxy.Counters.Queries);
        Assert.Equal(2, proxy.Counters.Replies);
        await stop.CancelAsync();
        await Assert.ThrowsAnyAsync<OperationCanceledException>(() => answering);
    }

    private static IPEndPoint Loopback() => new(IPAddress.Loopback, 0);

    private static async Task<Socket> ConnectAsync(IPEndPoint endpoint)
    {
        var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        await socket.ConnectAsync(endpoint).WaitAsync(Bound);
        return socket;
    }

    private static async Task EchoUntilEndAsync(Socket socket, CancellationToken stop)
    {
        var buffer = new byte[16384];
        int read;
        while ((read = await socket.ReceiveAsync(buffer, stop)) > 0)
        {
            await socket.SendAsync(buffer.AsMemory(0, read), stop);
        }

        socket.Shutdown(SocketShutdown.Send);
    }

    private static async Task<byte[]> ReadToEndAsync(Socket socket)
    {
        using var all = new MemoryStream();
        var buffer = new byte[16384];
        try
        {
            int read;
            while ((read = await socket.ReceiveAsync(buffer)) > 0)
            {
                all.Write(buffer, 0, read);
            }
        }
        catch (SocketException)
        {
            // A reset ends the stream too.
        }

        return all.ToArray();
    }

    /// <summary>A DNS-shaped echo: the answer is the question with QR set, under the ID it came with.</summary>
    private static async Task AnswerWithQuestionAsync(Socket server, CancellationToken stop)
    {
        var buffer = new byte[512];
        while (true)
        {
            var received = await server.ReceiveFromAsync(buffer, new IPEndPoint(IPAddress.Any, 0), stop);
            buffer[2] |= 0x80;
            await server.SendToAsync(buffer.AsMemory(0, received.ReceivedBytes), received.RemoteEndPoint, stop);
        }
    }

    private static async Task<(int Id, string Payload)> AskAsync(IPEndPoint proxy, ushort id, string payload)
    {
        using var client = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        client.Bind(Loopback());
        var question = new byte[12 + payload.Length];
        BinaryPrimitives.WriteUInt16BigEndian(question, id);
        System.Text.Encoding.ASCII.GetBytes(payload, question.AsSpan(12));
        await client.SendToAsync(question, proxy);
        var answer = new byte[512];
        var length = await client.ReceiveAsync(answer);
        return (BinaryPrimitives.ReadUInt16BigEndian(answer), System.Text.Encoding.ASCII.GetString(answer, 12, length - 12));
    }

    private static async Task WaitForAsync(Func<bool> condition)
    {
        using var bound = new CancellationTokenSource(Bound);
        while (!condition())
        {
            await Task.Delay(5, bound.Token);
        }
    }
}
