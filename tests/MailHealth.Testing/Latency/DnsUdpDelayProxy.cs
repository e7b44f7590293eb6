using System.Buffers.Binary;
using System.Net;
using System.Net.Sockets;

namespace MailHealth.Testing.Latency;

/// <summary>
/// Relays DNS over UDP from one listening address to one server through an emulated link: each
/// question reaches the server one delay after it arrived, each answer the client one delay after
/// the server sent it. Every question goes up from one socket under an ID of the proxy's own
/// (the client's is put back on the answer, RFC 1035 section 4.1.1), so a resolver's random
/// source ports cost no socket each. A question without an answer is forgotten after
/// <see cref="AnswerTimeout"/>, when its ID may be used again.
/// </summary>
public sealed class DnsUdpDelayProxy : IAsyncDisposable
{
    /// <summary>How long an ID waits for its answer before it is free again.</summary>
    public static readonly TimeSpan AnswerTimeout = TimeSpan.FromSeconds(10);

    private const int MaxMessage = 65535;
    private readonly Socket _listener;
    private readonly Socket _upstream;
    private readonly IPEndPoint _server;
    private readonly TimeProvider _time;
    private readonly DelayLine<Datagram> _toServer;
    private readonly DelayLine<Datagram> _toClient;
    private readonly Pending?[] _pending = new Pending?[65536];
    private readonly Lock _ids = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly Task[] _loops;
    private int _nextId;

    private DnsUdpDelayProxy(IPEndPoint listen, IPEndPoint server, LinkDelay delay, TimeProvider time, ProxyCounters counters)
    {
        _server = server;
        _time = time;
        Counters = counters;
        _listener = new Socket(listen.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        _upstream = new Socket(server.AddressFamily, SocketType.Dgram, ProtocolType.Udp);
        try
        {
            _listener.Bind(listen);
            _upstream.Bind(new IPEndPoint(server.AddressFamily == AddressFamily.InterNetwork ? IPAddress.Loopback : IPAddress.IPv6Loopback, 0));
            // Bursts of a few thousand questions must not overflow the kernel's queues.
            _listener.ReceiveBufferSize = _upstream.ReceiveBufferSize = 4 * 1024 * 1024;
        }
        catch
        {
            _listener.Dispose();
            _upstream.Dispose();
            throw;
        }

        _toServer = new DelayLine<Datagram>(delay, time, 16384);
        _toClient = new DelayLine<Datagram>(delay, time, 16384);
        _loops =
        [
            ReceiveQuestionsAsync(),
            ReceiveAnswersAsync(),
            _toServer.PumpAsync(SendQuestionAsync, null, _stop.Token),
            _toClient.PumpAsync(SendAnswerAsync, null, _stop.Token),
        ];
    }

    public ProxyCounters Counters { get; }

    public IPEndPoint Endpoint => (IPEndPoint)_listener.LocalEndPoint!;

    /// <summary>Listens on <paramref name="listen"/> (port 0: any free port) and relays to <paramref name="server"/>.</summary>
    public static DnsUdpDelayProxy Start(IPEndPoint listen, IPEndPoint server, LinkDelay delay, TimeProvider? time = null, ProxyCounters? counters = null) =>
        new(listen, server, delay, time ?? TimeProvider.System, counters ?? new ProxyCounters());

    private async Task ReceiveQuestionsAsync()
    {
        var buffer = new byte[MaxMessage];
        EndPoint any = new IPEndPoint(_listener.AddressFamily == AddressFamily.InterNetwork ? IPAddress.Any : IPAddress.IPv6Any, 0);
        while (await ReceiveAsync(_listener, buffer, any).ConfigureAwait(false) is { } received)
        {
            if (received.Message.Length >= 12)
            {
                Counters.Query();
                await _toServer.PostAsync(received, _stop.Token).ConfigureAwait(false);
            }
        }
    }

    private async Task ReceiveAnswersAsync()
    {
        var buffer = new byte[MaxMessage];
        EndPoint any = new IPEndPoint(_upstream.AddressFamily == AddressFamily.InterNetwork ? IPAddress.Any : IPAddress.IPv6Any, 0);
        while (await ReceiveAsync(_upstream, buffer, any).ConfigureAwait(false) is { } received)
        {
            if (received.Message.Length < 12 || !received.From.Equals(_server))
            {
                continue;
            }

            // Put the client's ID back and send the answer to whoever asked under ours.
            var id = BinaryPrimitives.ReadUInt16BigEndian(received.Message);
            Pending? asked;
            lock (_ids)
            {
                asked = _pending[id];
                _pending[id] = null;
            }

            if (asked is null)
            {
                continue;
            }

            BinaryPrimitives.WriteUInt16BigEndian(received.Message, asked.Value.ClientId);
            Counters.Reply();
            await _toClient.PostAsync(received with { From = asked.Value.Client }, _stop.Token).ConfigureAwait(false);
        }
    }

    private async ValueTask SendQuestionAsync(Datagram question, CancellationToken cancellationToken)
    {
        var clientId = BinaryPrimitives.ReadUInt16BigEndian(question.Message);
        if (TakeId(question.From, clientId) is not { } id)
        {
            // Every ID is waiting for an answer: the question is lost, as on a congested link.
            return;
        }

        BinaryPrimitives.WriteUInt16BigEndian(question.Message, id);
        await SendAsync(_upstream, question.Message, _server, cancellationToken).ConfigureAwait(false);
    }

    private ValueTask SendAnswerAsync(Datagram answer, CancellationToken cancellationToken) =>
        SendAsync(_listener, answer.Message, answer.From, cancellationToken);

    private ushort? TakeId(IPEndPoint client, ushort clientId)
    {
        var now = _time.GetTimestamp();
        lock (_ids)
        {
            for (var tries = 0; tries < _pending.Length; tries++)
            {
                var id = (ushort)_nextId++;
                if (_pending[id] is not { } held || _time.GetElapsedTime(held.Asked, now) > AnswerTimeout)
                {
                    _pending[id] = new Pending(client, clientId, now);
                    return id;
                }
            }
        }

        return null;
    }

    private async Task<Datagram?> ReceiveAsync(Socket socket, byte[] buffer, EndPoint any)
    {
        while (!_stop.IsCancellationRequested)
        {
            try
            {
                var result = await socket.ReceiveFromAsync(buffer, SocketFlags.None, any, _stop.Token).ConfigureAwait(false);
                return new Datagram(buffer[..result.ReceivedBytes], (IPEndPoint)result.RemoteEndPoint);
            }
            catch (SocketException)
            {
                // An ICMP error from an earlier send (a client gone away): not this socket's end.
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException)
            {
                return null;
            }
        }

        return null;
    }

    private static async ValueTask SendAsync(Socket socket, byte[] message, IPEndPoint to, CancellationToken cancellationToken)
    {
        try
        {
            await socket.SendToAsync(message, SocketFlags.None, to, cancellationToken).ConfigureAwait(false);
        }
        catch (SocketException)
        {
            // UDP: a datagram that cannot be sent is lost, and the asker tries again.
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        _listener.Dispose();
        _upstream.Dispose();
        try
        {
            await Task.WhenAll(_loops).ConfigureAwait(false);
        }
        catch (OperationCanceledException)
        {
            // The pumps were waiting for their next item.
        }

        _stop.Dispose();
    }

    private readonly record struct Datagram(byte[] Message, IPEndPoint From);

    private readonly record struct Pending(IPEndPoint Client, ushort ClientId, long Asked);
}
