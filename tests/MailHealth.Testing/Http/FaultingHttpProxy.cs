using System.Buffers;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;
using MailHealth.Testing.Servers;

namespace MailHealth.Testing.Http;

/// <summary>
/// A pass-through TCP proxy in front of a real HTTP/1.1 server (an Azurite endpoint) that fails
/// the requests a rule picks (<see cref="ProxyFault"/>): such a request never reaches the server,
/// and the proxy answers it as a busy storage front end does (503 ServerBusy, then closes the
/// connection) or never answers it at all. Every other request is forwarded untouched; with a rule
/// that fails nothing it is a pass-through that sees every request (the benches count them). It
/// listens as the tests' other small servers do (<see cref="SocketServer"/>). The client's side is
/// parsed only for request heads and Content-Length bodies (all the Azure SDK sends); a client
/// waits for a response before its next request, so refusing a request never cuts a response short.
/// </summary>
public sealed class FaultingHttpProxy : IAsyncDisposable
{
    /// <summary>The storage front end's answer when it sheds load (a 503 with the ServerBusy code), closing the connection.</summary>
    private static readonly byte[] Busy = Encoding.ASCII.GetBytes(
        "HTTP/1.1 503 Service Unavailable\r\nx-ms-error-code: ServerBusy\r\nContent-Length: 0\r\nConnection: close\r\n\r\n");

    private readonly IPEndPoint upstream;
    private readonly Func<string, string, ProxyFault> fault;
    private readonly SocketServer listener;
    private int failed;

    /// <param name="upstream">The real server.</param>
    /// <param name="fault">Given a request's method and path, what to do with it (called once per request, from several connections at once).</param>
    public FaultingHttpProxy(IPEndPoint upstream, Func<string, string, ProxyFault> fault)
    {
        ArgumentNullException.ThrowIfNull(upstream);
        this.upstream = upstream;
        this.fault = fault;
        listener = new SocketServer(RelayAsync);
    }

    public IPEndPoint Endpoint => listener.EndPoint;

    /// <summary>Requests failed so far (answered busy or never).</summary>
    public int Failed => Volatile.Read(ref failed);

    public ValueTask DisposeAsync() => listener.DisposeAsync();

    /// <summary>One client's connection, relayed to a connection of its own to the server; it ends when either side does.</summary>
    private async Task RelayAsync(Socket client, CancellationToken stop)
    {
        client.NoDelay = true;
        using var server = new Socket(SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await server.ConnectAsync(upstream, stop);
        await using var clientStream = new NetworkStream(client, ownsSocket: false);
        await using var serverStream = new NetworkStream(server, ownsSocket: false);
        await Task.WhenAny(ForwardRequestsAsync(clientStream, serverStream, stop), serverStream.CopyToAsync(clientStream, stop));
    }

    /// <summary>Forwards the client's requests to <paramref name="to"/> until one is to fail.</summary>
    private async Task ForwardRequestsAsync(NetworkStream from, NetworkStream to, CancellationToken stop)
    {
        var buffer = new byte[64 * 1024];
        var head = new List<byte>(2048);
        // What a read carries on to the server goes in one write (a whole request, most often).
        var output = new ArrayBufferWriter<byte>(64 * 1024);
        long body = 0;
        while (true)
        {
            var read = await from.ReadAsync(buffer, stop);
            if (read == 0)
            {
                to.Socket.Shutdown(SocketShutdown.Send);
                return;
            }

            output.ResetWrittenCount();
            for (var i = 0; i < read;)
            {
                if (body > 0)
                {
                    var part = (int)Math.Min(body, read - i);
                    output.Write(buffer.AsSpan(i, part));
                    body -= part;
                    i += part;
                    continue;
                }

                // A head is held until it is whole: a failed request never reaches the server.
                head.Add(buffer[i++]);
                if (head.Count < 4 || head[^1] != '\n' || head[^2] != '\r' || head[^3] != '\n' || head[^4] != '\r')
                {
                    continue;
                }

                var (method, path, length) = Parse(Encoding.ASCII.GetString([.. head]));
                var what = fault(method, path);
                if (what is not ProxyFault.None)
                {
                    await FailAsync(from, buffer, length - (read - i), what, stop);
                    return;
                }

                output.Write(CollectionsMarshal.AsSpan(head));
                head.Clear();
                body = length;
            }

            if (output.WrittenCount > 0)
            {
                await to.WriteAsync(output.WrittenMemory, stop);
            }
        }
    }

    /// <summary>Fails a request whose head was read: its body is read first (so the client is not cut off while it still sends), then it is answered busy or never.</summary>
    private async Task FailAsync(NetworkStream from, byte[] buffer, long unread, ProxyFault what, CancellationToken stop)
    {
        while (unread > 0)
        {
            var more = await from.ReadAsync(buffer.AsMemory(0, (int)Math.Min(buffer.Length, unread)), stop);
            if (more == 0)
            {
                return;
            }

            unread -= more;
        }

        Interlocked.Increment(ref failed);
        if (what is ProxyFault.Silent)
        {
            // Held open, never answered, until the client gives up or the proxy stops.
            while (await from.ReadAsync(buffer, stop) > 0)
            {
            }

            return;
        }

        await from.WriteAsync(Busy, stop);
    }

    private static (string Method, string Path, long ContentLength) Parse(string head)
    {
        var lines = head.Split("\r\n");
        var requestLine = lines[0].Split(' ');
        if (lines.Any(l => l.StartsWith("Transfer-Encoding:", StringComparison.OrdinalIgnoreCase)))
        {
            throw new InvalidOperationException("a chunked request: the proxy reads Content-Length bodies only");
        }

        var length = lines.FirstOrDefault(l => l.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase));
        return (
            requestLine[0],
            requestLine.Length > 1 ? requestLine[1] : "",
            length is null ? 0 : long.Parse(length["Content-Length:".Length..].Trim(), System.Globalization.CultureInfo.InvariantCulture));
    }
}

/// <summary>What <see cref="FaultingHttpProxy"/> does with a request.</summary>
public enum ProxyFault
{
    /// <summary>Forwarded to the server.</summary>
    None,

    /// <summary>Answered 503 ServerBusy, as a storage front end shedding load does; the connection closes.</summary>
    Busy,

    /// <summary>Never answered: the connection stays open and silent.</summary>
    Silent,
}
