using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;
using MailHealth.Dns;

namespace MailHealth.Testing.Dns;

/// <summary>
/// A DNS server that misbehaves in one chosen way (<see cref="HostileNameServerMode"/>), on UDP and TCP
/// at the same ephemeral port of 127.0.0.1. For tests that a check turns a broken DNS into an
/// <c>error</c> result in bounded time, never a crash, a hang or a <c>fail</c> of the domain.
/// (<see cref="HostileDnsServer"/> is the UDP-only one the blocklist tests bind in their own range.)
/// </summary>
public sealed class HostileNameServer : IAsyncDisposable
{
    private const int HeaderLength = 12;
    private readonly Socket _udp;
    private readonly TcpListener _tcp;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _loops = [];
    private readonly List<Socket> _held = [];
    private readonly Random _random;
    private int _queries;

    private HostileNameServer(HostileNameServerMode mode, Socket udp, TcpListener tcp, int seed)
    {
        Mode = mode;
        _udp = udp;
        _tcp = tcp;
        _random = new Random(seed);
        EndPoint = (IPEndPoint)udp.LocalEndPoint!;
    }

    public HostileNameServerMode Mode { get; }

    /// <summary>Where to point the resolver: UDP and TCP listen on this address and port.</summary>
    public IPEndPoint EndPoint { get; }

    /// <summary>Queries received so far, over UDP and TCP.</summary>
    public int QueriesReceived => Volatile.Read(ref _queries);

    /// <summary>A resolver that asks only this server, once, without a cache.</summary>
    public DnsResolver Resolver(TimeSpan timeout) => new(new DnsResolverOptions
    {
        Servers = [EndPoint],
        Timeout = timeout,
        Retries = 0,
        UseCache = false,
    });

    /// <summary>Starts a server on 127.0.0.1; <paramref name="seed"/> makes <see cref="HostileNameServerMode.Garbage"/> repeatable.</summary>
    public static HostileNameServer Start(HostileNameServerMode mode, int seed = 53)
    {
        // UDP picks the port; TCP must get the same one. Another process may hold it: try again.
        for (var attempt = 0; ; attempt++)
        {
            var udp = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            udp.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            var tcp = new TcpListener(IPAddress.Loopback, ((IPEndPoint)udp.LocalEndPoint!).Port);
            try
            {
                tcp.Start();
            }
            catch (SocketException) when (attempt < 20)
            {
                udp.Dispose();
                continue;
            }

            var server = new HostileNameServer(mode, udp, tcp, seed);
            server._loops.Add(Task.Run(server.ServeUdpAsync));
            server._loops.Add(Task.Run(server.ServeTcpAsync));
            return server;
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        _udp.Dispose();
        _tcp.Stop();
        lock (_held)
        {
            foreach (var socket in _held)
            {
                socket.Dispose();
            }
        }

        try
        {
            await Task.WhenAll(_loops).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
            // Stopping: the loops end by cancellation or by their sockets closing.
        }

        _stop.Dispose();
    }

    private async Task ServeUdpAsync()
    {
        var buffer = new byte[65535];
        while (!_stop.IsCancellationRequested)
        {
            SocketReceiveFromResult received;
            try
            {
                received = await _udp.ReceiveFromAsync(buffer, SocketFlags.None, new IPEndPoint(IPAddress.Any, 0), _stop.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                return;
            }

            Interlocked.Increment(ref _queries);
            var reply = Answer(buffer.AsSpan(0, received.ReceivedBytes).ToArray(), overTcp: false);
            if (reply is not null)
            {
                try
                {
                    await _udp.SendToAsync(reply, SocketFlags.None, received.RemoteEndPoint, _stop.Token).ConfigureAwait(false);
                }
                catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
                {
                    return;
                }
            }
        }
    }

    private async Task ServeTcpAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await _tcp.AcceptSocketAsync(_stop.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException or InvalidOperationException)
            {
                return;
            }

            _ = Task.Run(() => ServeConnectionAsync(client));
        }
    }

    private async Task ServeConnectionAsync(Socket client)
    {
        if (Mode == HostileNameServerMode.TruncatedThenClosed)
        {
            client.Dispose();
            return;
        }

        lock (_held)
        {
            _held.Add(client);
        }

        try
        {
            // RFC 1035 section 4.2.2: each message is preceded by its two-byte length.
            var length = new byte[2];
            while (await ReadExactlyAsync(client, length).ConfigureAwait(false))
            {
                var query = new byte[BinaryPrimitives.ReadUInt16BigEndian(length)];
                if (!await ReadExactlyAsync(client, query).ConfigureAwait(false))
                {
                    return;
                }

                Interlocked.Increment(ref _queries);
                if (Answer(query, overTcp: true) is { } reply)
                {
                    var framed = new byte[reply.Length + 2];
                    BinaryPrimitives.WriteUInt16BigEndian(framed, (ushort)reply.Length);
                    reply.CopyTo(framed, 2);
                    await client.SendAsync(framed, SocketFlags.None, _stop.Token).ConfigureAwait(false);
                }
            }
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
        {
            // The client went away or the server is stopping.
        }
    }

    private async Task<bool> ReadExactlyAsync(Socket socket, byte[] buffer)
    {
        var read = 0;
        while (read < buffer.Length)
        {
            var n = await socket.ReceiveAsync(buffer.AsMemory(read), SocketFlags.None, _stop.Token).ConfigureAwait(false);
            if (n == 0)
            {
                return false;
            }

            read += n;
        }

        return true;
    }

    /// <summary>The reply to one query, or null to stay silent.</summary>
    private byte[]? Answer(byte[] query, bool overTcp)
    {
        if (query.Length < HeaderLength)
        {
            return null;
        }

        return Mode switch
        {
            HostileNameServerMode.Drop => null,
            HostileNameServerMode.ServFail => Header(query, rcode: 2),
            HostileNameServerMode.Refused => Header(query, rcode: 5),
            HostileNameServerMode.Garbage => Garbage(query),
            HostileNameServerMode.Malformed => Malformed(query),
            HostileNameServerMode.TruncatedThenClosed when !overTcp => Header(query, rcode: 0, truncated: true),
            _ => null,
        };
    }

    // The query's header and question with QR set and the given RCODE; no records (RFC 1035 section 4.1.1).
    private static byte[] Header(byte[] query, int rcode, bool truncated = false, int answerCount = 0)
    {
        var questionEnd = QuestionEnd(query);
        var reply = query.AsSpan(0, questionEnd).ToArray();
        reply[2] = (byte)(0x80 | (query[2] & 0x79) | (truncated ? 0x02 : 0)); // QR, opcode and RD kept, TC
        reply[3] = (byte)(0x80 | rcode); // RA, RCODE
        BinaryPrimitives.WriteUInt16BigEndian(reply.AsSpan(4), (ushort)(questionEnd > HeaderLength ? 1 : 0));
        BinaryPrimitives.WriteUInt16BigEndian(reply.AsSpan(6), (ushort)answerCount);
        BinaryPrimitives.WriteUInt16BigEndian(reply.AsSpan(8), 0);
        BinaryPrimitives.WriteUInt16BigEndian(reply.AsSpan(10), 0);
        return reply;
    }

    private byte[] Garbage(byte[] query)
    {
        var reply = new byte[96];
        lock (_random)
        {
            _random.NextBytes(reply);
        }

        reply[0] = query[0];
        reply[1] = query[1];
        return reply;
    }

    // Claims three answers, then starts a TXT record whose RDLENGTH (200) runs past the end.
    private static byte[] Malformed(byte[] query)
    {
        var header = Header(query, rcode: 0, answerCount: 3);
        byte[] partial = [0xC0, 0x0C, 0x00, 0x10, 0x00, 0x01, 0x00, 0x00, 0x01, 0x2C, 0x00, 0xC8, 0x05, (byte)'h', (byte)'e'];
        return [.. header, .. partial];
    }

    // The end of the first question: labels up to the root label, then QTYPE and QCLASS.
    private static int QuestionEnd(byte[] query)
    {
        var offset = HeaderLength;
        while (offset < query.Length && query[offset] != 0)
        {
            offset += query[offset] + 1;
        }

        var end = Math.Min(offset + 1 + 4, query.Length);
        return end > HeaderLength ? end : HeaderLength;
    }
}
