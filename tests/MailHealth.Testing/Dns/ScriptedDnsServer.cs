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
    private readonly ScriptedZone _zone;
    private readonly Socket _udp;
    private readonly SocketServer _tcp;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _udpLoop;
    private readonly ConcurrentDictionary<(string Name, ushort Type), int> _asked = new();
    private readonly ConcurrentDictionary<(string Name, ushort Type), TaskCompletionSource> _firstAsked = new();
    private readonly ConcurrentDictionary<(string Name, ushort Type), TaskCompletionSource> _holds = new();
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

    /// <summary>The TTL of every record it sends, in seconds. Default 60.</summary>
    public int TimeToLive { get; set; } = 60;

    /// <summary>
    /// Answer as a caching resolver does (RA set, AA clear) instead of as the authoritative server
    /// it is by default (AA set, RA clear).
    /// </summary>
    public bool AsResolver { get; set; }

    /// <summary>Queries received so far, over UDP and TCP: proves the client did ask.</summary>
    public int Queries => Volatile.Read(ref _queries);

    /// <summary>How many times this name (any case, with or without the final dot) was asked for this type.</summary>
    public int QueriesFor(string name, ushort type) =>
        _asked.TryGetValue(Key(name, type), out var count) ? count : 0;

    /// <summary>Completes when this name is first asked for this type (already, or later): wait on it with a bound.</summary>
    public Task Asked(string name, ushort type) => Signal(_firstAsked, Key(name, type)).Task;

    /// <summary>
    /// Questions about this name and type are read and counted at once but answered only when
    /// <see cref="Release"/> opens the hold: a slow authoritative server, for exactly the answers a
    /// test wants late. Point a resolver with a long timeout at it.
    /// </summary>
    public void Hold(string name, ushort type) => Signal(_holds, Key(name, type));

    /// <summary>Sends the answers held for this name and type, and answers at once from now on.</summary>
    public void Release(string name, ushort type) => Signal(_holds, Key(name, type)).TrySetResult();

    /// <summary>Releases every hold.</summary>
    public void ReleaseAll()
    {
        foreach (var hold in _holds.Values)
        {
            hold.TrySetResult();
        }
    }

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
        ReleaseAll();
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

            var (answer, hold) = Answer(buffer.AsSpan(0, received.ReceivedBytes).ToArray(), overTcp: false);
            if (answer.Message is not { } reply)
            {
                continue;
            }

            if (hold is not null)
            {
                // Sent later, by itself: the loop goes on answering the questions not held.
                _ = SendWhenReleasedAsync(hold, reply, received.RemoteEndPoint);
                continue;
            }

            if (!await SendAsync(reply, received.RemoteEndPoint).ConfigureAwait(false))
            {
                return;
            }
        }
    }

    private async Task SendWhenReleasedAsync(Task hold, byte[] reply, EndPoint client)
    {
        try
        {
            await hold.WaitAsync(_stop.Token).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            return;
        }

        await SendAsync(reply, client).ConfigureAwait(false);
    }

    /// <summary>False when the server is stopping.</summary>
    private async Task<bool> SendAsync(byte[] reply, EndPoint client)
    {
        try
        {
            await _udp.SendToAsync(reply, SocketFlags.None, client, _stop.Token).ConfigureAwait(false);
        }
        catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
        {
            return false;
        }
        catch (SocketException)
        {
            // The client went away; the next one may not have.
        }

        return true;
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
            var (reply, hold) = Answer(query, overTcp: true);
            if (hold is not null)
            {
                await hold.WaitAsync(stop).ConfigureAwait(false);
            }

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

    /// <summary>The reply to a query, and the hold it waits for when its question is held.</summary>
    private (DnsReply Reply, Task? Hold) Answer(byte[] query, bool overTcp)
    {
        Interlocked.Increment(ref _queries);
        if (DnsWire.ReadQuestion(query) is not { } question)
        {
            return (DnsReply.Silence, null);
        }

        var key = Key(question.Name, question.Type);
        _asked.AddOrUpdate(key, 1, (_, count) => count + 1);
        Signal(_firstAsked, key).TrySetResult();
        var hold = _holds.TryGetValue(key, out var held) && !held.Task.IsCompleted ? held.Task : null;
        return (Reply(query, question, overTcp), hold);
    }

    private DnsReply Reply(byte[] query, DnsQuestion question, bool overTcp)
    {
        var answer = _zone.Answer(question.Name, question.Type);
        if (answer.Fault is { } fault)
        {
            return DnsFaultReply.For(fault, query, question.End, overTcp);
        }

        var message = new List<byte>(DnsWire.ReplyHeader(query, question.End, answer.Rcode, answer.Records.Count, asResolver: AsResolver));
        foreach (var (owner, record) in answer.Records)
        {
            message.AddRange(DnsWire.Record(owner, record, TimeToLive));
        }

        if (overTcp || message.Count <= DnsWire.MaxUdpSize(query, question.End))
        {
            return DnsReply.Send([.. message]);
        }

        // Too big for UDP: the header and question only, with TC set (RFC 1035 section 4.1.1).
        return DnsReply.Send(DnsWire.ReplyHeader(query, question.End, answer.Rcode, truncated: true, asResolver: AsResolver));
    }

    private static (string Name, ushort Type) Key(string name, ushort type) => (name.TrimEnd('.').ToLowerInvariant(), type);

    private static TaskCompletionSource Signal(ConcurrentDictionary<(string Name, ushort Type), TaskCompletionSource> signals, (string Name, ushort Type) key) =>
        signals.GetOrAdd(key, _ => new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously));
}
