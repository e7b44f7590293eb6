using System.Buffers;
using System.Collections.Concurrent;
using System.Net;
using System.Net.Sockets;

namespace MailHealth.Testing.Latency;

/// <summary>
/// Relays TCP connections from many listening addresses to their upstream servers through an
/// emulated link: a new connection reaches its server one round trip after it was accepted (the
/// handshake's cost, which the kernel's own accept cannot show; the client's first words wait
/// for it too), and every chunk of data one delay after it was read, in each direction. Each connection has its own two
/// <see cref="DelayLine{T}"/>s, so connections never wait for each other. Half-closes are
/// relayed (a FIN after the data before it); a reset or a refused upstream closes both sides.
/// </summary>
public sealed class TcpDelayProxy : IAsyncDisposable
{
    /// <summary>Bytes read at once; a chunk waits the delay as one item.</summary>
    public const int ChunkSize = 16 * 1024;

    /// <summary>Chunks on their way per direction: 1 MiB, a TCP window's worth.</summary>
    public const int ChunksInFlight = 64;

    private readonly List<Socket> _listeners = [];
    private readonly ConcurrentDictionary<Task, bool> _relays = new();
    private readonly CancellationTokenSource _stop = new();
    private readonly LinkDelay _delay;
    private readonly TimeProvider _time;
    private readonly List<Task> _acceptLoops = [];

    private TcpDelayProxy(LinkDelay delay, TimeProvider time, ProxyCounters counters)
    {
        _delay = delay;
        _time = time;
        Counters = counters;
    }

    public ProxyCounters Counters { get; }

    /// <summary>The addresses listened on, in the order given (port 0 replaced by the one bound).</summary>
    public IReadOnlyList<IPEndPoint> Endpoints => [.. _listeners.Select(l => (IPEndPoint)l.LocalEndPoint!)];

    /// <summary>Listens on every <c>Listen</c> address and relays each connection to its <c>Upstream</c>.</summary>
    public static TcpDelayProxy Start(IEnumerable<(IPEndPoint Listen, EndPoint Upstream)> routes, LinkDelay delay, TimeProvider? time = null, ProxyCounters? counters = null)
    {
        ArgumentNullException.ThrowIfNull(routes);
        var proxy = new TcpDelayProxy(delay, time ?? TimeProvider.System, counters ?? new ProxyCounters());
        try
        {
            foreach (var (listen, upstream) in routes)
            {
                var listener = new Socket(listen.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
                proxy._listeners.Add(listener);
                listener.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
                listener.Bind(listen);
                listener.Listen(512);
                proxy._acceptLoops.Add(proxy.AcceptAsync(listener, upstream));
            }
        }
        catch
        {
            foreach (var listener in proxy._listeners)
            {
                listener.Dispose();
            }

            throw;
        }

        return proxy;
    }

    private async Task AcceptAsync(Socket listener, EndPoint upstream)
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket client;
            try
            {
                client = await listener.AcceptAsync(_stop.Token).ConfigureAwait(false);
            }
            catch (Exception e) when (e is OperationCanceledException or ObjectDisposedException or SocketException)
            {
                if (_stop.IsCancellationRequested)
                {
                    return;
                }

                continue;
            }

            var relay = RelayAsync(client, upstream);
            _relays[relay] = true;
            _ = relay.ContinueWith(t => _relays.TryRemove(t, out _), CancellationToken.None, TaskContinuationOptions.ExecuteSynchronously, TaskScheduler.Default);
        }
    }

    private async Task RelayAsync(Socket client, EndPoint upstream)
    {
        Counters.ConnectionOpened();
        using var connection = CancellationTokenSource.CreateLinkedTokenSource(_stop.Token);
        using var server = new Socket(upstream.AddressFamily, SocketType.Stream, ProtocolType.Tcp);
        client.NoDelay = true;
        server.NoDelay = true;
        var toServer = new DelayLine<Chunk>(_delay, _time, ChunksInFlight);
        var toClient = new DelayLine<Chunk>(_delay, _time, ChunksInFlight);
        var directions = new List<Task>();
        try
        {
            // The client's connect returned at once (the kernel accepted it), so what it says
            // meanwhile waits in the socket until the handshake would have finished, and then
            // takes its one-way delay: the server hears it as it would over a real link.
            await Task.Delay(_delay.RoundTrip, _time, connection.Token).ConfigureAwait(false);
            await server.ConnectAsync(upstream, connection.Token).ConfigureAwait(false);
            directions.Add(ReadAsync(client, toServer, connection.Token));
            directions.Add(ReadAsync(server, toClient, connection.Token));
            directions.Add(toServer.PumpAsync((c, ct) => WriteAsync(server, c, ct), Return, connection.Token));
            directions.Add(toClient.PumpAsync((c, ct) => WriteAsync(client, c, ct), Return, connection.Token));
            // Any direction failing (a reset, a write to a closed peer) ends the connection.
            while (directions.Any(t => !t.IsCompleted))
            {
                var done = await Task.WhenAny(directions.Where(t => !t.IsCompleted)).ConfigureAwait(false);
                if (!done.IsCompletedSuccessfully)
                {
                    break;
                }
            }
        }
        catch (Exception e) when (e is SocketException or OperationCanceledException or IOException or ObjectDisposedException)
        {
            // Refused upstream or stopped: the client sees its connection closed.
        }
        finally
        {
            await connection.CancelAsync().ConfigureAwait(false);
            client.Dispose();
            server.Dispose();
            try
            {
                await Task.WhenAll(directions).ConfigureAwait(false);
            }
            catch (Exception e) when (e is SocketException or OperationCanceledException or IOException or ObjectDisposedException)
            {
                // The reason the connection ended; nothing to report.
            }

            Counters.ConnectionClosed();
        }
    }

    /// <summary>Reads <paramref name="from"/> until its FIN, posting each chunk, then the end.</summary>
    private async Task ReadAsync(Socket from, DelayLine<Chunk> line, CancellationToken cancellationToken)
    {
        try
        {
            while (true)
            {
                var buffer = ArrayPool<byte>.Shared.Rent(ChunkSize);
                int read;
                try
                {
                    read = await from.ReceiveAsync(buffer.AsMemory(0, ChunkSize), SocketFlags.None, cancellationToken).ConfigureAwait(false);
                }
                catch
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                    throw;
                }

                if (read == 0)
                {
                    ArrayPool<byte>.Shared.Return(buffer);
                    await line.PostAsync(Chunk.End, cancellationToken).ConfigureAwait(false);
                    return;
                }

                Counters.Relayed(read);
                await line.PostAsync(new Chunk(buffer, read), cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            line.Complete();
        }
    }

    private static async ValueTask WriteAsync(Socket to, Chunk chunk, CancellationToken cancellationToken)
    {
        if (chunk.Buffer is null)
        {
            to.Shutdown(SocketShutdown.Send);
            return;
        }

        try
        {
            var sent = 0;
            while (sent < chunk.Length)
            {
                sent += await to.SendAsync(chunk.Buffer.AsMemory(sent, chunk.Length - sent), SocketFlags.None, cancellationToken).ConfigureAwait(false);
            }
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(chunk.Buffer);
        }
    }

    private static void Return(Chunk chunk)
    {
        if (chunk.Buffer is not null)
        {
            ArrayPool<byte>.Shared.Return(chunk.Buffer);
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync().ConfigureAwait(false);
        foreach (var listener in _listeners)
        {
            listener.Dispose();
        }

        await Task.WhenAll(_acceptLoops.Concat(_relays.Keys)).ConfigureAwait(false);
        _stop.Dispose();
    }

    /// <summary>Bytes read from one side (a pooled buffer), or the end of its stream (no buffer).</summary>
    private readonly record struct Chunk(byte[]? Buffer, int Length)
    {
        public static Chunk End => default;
    }
}
