using System.Buffers.Binary;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;
using MailHealth.Dns;
using MailHealth.Testing.Servers;

namespace MailHealth.Testing.Dns;

/// <summary>
/// A small authoritative DNS server on loopback (UDP and TCP on one port) that answers from a
/// <see cref="ScriptedZone"/> or plays a <see cref="DnsFault"/>: for data and failures no real server
/// can be told to serve (a question that must time out, a TXT without strings, garbage). It speaks
/// the real wire protocol, so the product's resolver is exercised as in production, TCP fallback
/// included: a UDP answer larger than the client's EDNS size (512 without EDNS) is sent truncated (TC).
/// </summary>
public sealed class ScriptedDnsServer : IAsyncDisposable
{
    private const int Ttl = 60;
    private readonly ScriptedZone _zone;
    private readonly Socket _udp;
    private readonly SocketServer _tcp;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _udpLoop;
    private readonly ConcurrentDictionary<(string Name, ushort Type), int> _asked = new();
    private int _queries;

    private ScriptedDnsServer(ScriptedZone zone, Socket udp)
    {
        _zone = zone;
        _udp = udp;
        EndPoint = (IPEndPoint)udp.LocalEndPoint!;
        _tcp = new SocketServer(ServeTcpAsync, EndPoint.Address, EndPoint.Port);
        _udpLoop = Task.Run(ServeUdpAsync);
    }

    /// <summary>Where to point a resolver: UDP and TCP listen on this address and port.</summary>
    public IPEndPoint EndPoint { get; }

    /// <summary>Queries received so far, over UDP and TCP: proves the client did ask.</summary>
    public int Queries => Volatile.Read(ref _queries);

    /// <summary>How many times this name (any case, with or without the final dot) was asked for this type.</summary>
    public int QueriesFor(string name, ushort type) =>
        _asked.TryGetValue((name.TrimEnd('.').ToLowerInvariant(), type), out var count) ? count : 0;

    /// <summary>Serves <paramref name="zone"/> on <paramref name="address"/> (default 127.0.0.1); port 0 picks a free one.</summary>
    public static ScriptedDnsServer Start(ScriptedZone zone, IPAddress? address = null, int port = 0)
    {
        ArgumentNullException.ThrowIfNull(zone);

        // UDP picks the port; TCP must get the same one, as a resolver expects for its fallback.
        // Another process may hold it over TCP: try again.
        for (var attempt = 0; ; attempt++)
        {
            var udp = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            udp.Bind(new IPEndPoint(address ?? IPAddress.Loopback, port));
            try
            {
                return new ScriptedDnsServer(zone, udp);
            }
            catch (SocketException)
            {
                udp.Dispose();
                if (attempt >= 20 || port != 0)
                {
                    throw;
                }
            }
        }
    }

    /// <summary>A server that plays <paramref name="fault"/> for every question.</summary>
    public static ScriptedDnsServer Start(DnsFault fault, IPAddress? address = null, int port = 0) =>
        Start(new ScriptedZone().Otherwise(fault), address, port);

    /// <summary>
    /// A resolver that asks only this server, once, without a cache. Give a short
    /// <paramref name="timeout"/> only where the server drops queries: a loaded machine may be slow
    /// to schedule an answer.
    /// </summary>
    public DnsResolver Resolver(TimeSpan timeout) => new(new DnsResolverOptions
    {
        Servers = [EndPoint],
        Timeout = timeout,
        Retries = 0,
        UseCache = false,
    });

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        _udp.Dispose();
        await _tcp.DisposeAsync().ConfigureAwait(false);
        await _udpLoop.ConfigureAwait(false);
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
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
            {
                return;
            }
            catch (SocketException)
            {
                // An ICMP error about an earlier reply can surface here; the socket is still good.
                continue;
            }

            if (Answer(buffer.AsSpan(0, received.ReceivedBytes).ToArray(), overTcp: false).Message is { } reply)
            {
                try
                {
                    await _udp.SendToAsync(reply, SocketFlags.None, received.RemoteEndPoint, _stop.Token).ConfigureAwait(false);
                }
                catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
                {
                    return;
                }
                catch (SocketException)
                {
                    // The client went away; the next one may not have.
                }
            }
        }
    }

    // RFC 1035 section 4.2.2: over TCP each message is preceded by its two-byte length.
    private async Task ServeTcpAsync(Socket client, CancellationToken stop)
    {
        await using var stream = new NetworkStream(client, ownsSocket: false);
        var length = new byte[2];
        while (true)
        {
            await stream.ReadExactlyAsync(length, stop).ConfigureAwait(false);
            var query = new byte[BinaryPrimitives.ReadUInt16BigEndian(length)];
            await stream.ReadExactlyAsync(query, stop).ConfigureAwait(false);
            var reply = Answer(query, overTcp: true);
            if (reply.HangUp)
            {
                return;
            }

            if (reply.Message is null)
            {
                // A dropped question: keep the connection open and silent until the client gives up.
                await Task.Delay(Timeout.Infinite, stop).ConfigureAwait(false);
                return;
            }

            var framed = new byte[reply.Message.Length + 2];
            BinaryPrimitives.WriteUInt16BigEndian(framed, (ushort)reply.Message.Length);
            reply.Message.CopyTo(framed, 2);
            await stream.WriteAsync(framed, stop).ConfigureAwait(false);
        }
    }

    private DnsReply Answer(byte[] query, bool overTcp)
    {
        Interlocked.Increment(ref _queries);
        if (DnsWire.ReadQuestion(query) is not { } question)
        {
            return DnsReply.Silence;
        }

        _asked.AddOrUpdate((question.Name.TrimEnd('.').ToLowerInvariant(), question.Type), 1, (_, count) => count + 1);
        var answer = _zone.Answer(question.Name, question.Type);
        if (answer.Fault is { } fault)
        {
            return DnsFaultReply.For(fault, query, question.End, overTcp);
        }

        var message = new List<byte>(DnsWire.ReplyHeader(query, question.End, answer.Rcode, answer.Records.Count));
        foreach (var (owner, record) in answer.Records)
        {
            message.AddRange(DnsWire.Record(owner, record, Ttl));
        }

        if (overTcp || message.Count <= DnsWire.MaxUdpSize(query, question.End))
        {
            return DnsReply.Send([.. message]);
        }

        // Too big for UDP: the header and question only, with TC set (RFC 1035 section 4.1.1).
        return DnsReply.Send(DnsWire.ReplyHeader(query, question.End, answer.Rcode, truncated: true));
    }
}
