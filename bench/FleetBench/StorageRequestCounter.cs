using System.Collections.Concurrent;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;

namespace MailHealth.Bench;

/// <summary>
/// A pass-through TCP proxy in front of one Azurite endpoint (tables or queues) that counts the
/// HTTP requests going through it: each is a storage transaction as Azure bills them (a table
/// <c>$batch</c> is one request of up to 100 operations). Requests are counted by method and by
/// the table or queue they name, so the note can say where a run's transactions go. The bytes
/// are forwarded untouched; only the client's side is parsed (request line, Content-Length, the
/// body skipped), which is all the Azure SDK sends.
/// </summary>
internal sealed class StorageRequestCounter : IAsyncDisposable
{
    private readonly TcpListener listener;
    private readonly IPEndPoint upstream;
    private readonly CancellationTokenSource stop = new();
    private readonly ConcurrentDictionary<string, long> counts = new(StringComparer.Ordinal);
    private readonly Task accepting;

    public StorageRequestCounter(IPAddress address, IPEndPoint upstream)
    {
        this.upstream = upstream;
        listener = new TcpListener(address, 0);
        listener.Start(1024);
        accepting = AcceptAsync();
    }

    public IPEndPoint Endpoint => (IPEndPoint)listener.LocalEndpoint;

    /// <summary>Requests so far, by "METHOD name" (name: the table or queue, <c>$batch</c>, <c>Tables</c>).</summary>
    public IReadOnlyDictionary<string, long> Snapshot() => counts.ToDictionary(p => p.Key, p => p.Value, StringComparer.Ordinal);

    public static IReadOnlyDictionary<string, long> Between(IReadOnlyDictionary<string, long> before, IReadOnlyDictionary<string, long> after) =>
        after.ToDictionary(p => p.Key, p => p.Value - before.GetValueOrDefault(p.Key), StringComparer.Ordinal);

    public async ValueTask DisposeAsync()
    {
        await stop.CancelAsync();
        listener.Stop();
        try
        {
            await accepting;
        }
        catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException)
        {
        }

        stop.Dispose();
    }

    private async Task AcceptAsync()
    {
        while (!stop.IsCancellationRequested)
        {
            var client = await listener.AcceptTcpClientAsync(stop.Token);
            _ = RelayAsync(client);
        }
    }

    private async Task RelayAsync(TcpClient client)
    {
        using (client)
        using (var server = new TcpClient())
        {
            try
            {
                client.NoDelay = true;
                server.NoDelay = true;
                await server.ConnectAsync(upstream, stop.Token);
                var toServer = CountingCopyAsync(client.GetStream(), server.GetStream());
                var toClient = server.GetStream().CopyToAsync(client.GetStream(), stop.Token);
                await Task.WhenAny(toServer, toClient);
            }
            catch (Exception e) when (e is IOException or SocketException or OperationCanceledException or ObjectDisposedException)
            {
                // A connection that ends is the client's business; the counts so far stand.
            }
        }
    }

    /// <summary>Forwards <paramref name="from"/> to <paramref name="to"/>, counting each HTTP request it carries.</summary>
    private async Task CountingCopyAsync(NetworkStream from, NetworkStream to)
    {
        var buffer = new byte[64 * 1024];
        var header = new List<byte>(2048);
        long body = 0;
        while (true)
        {
            var read = await from.ReadAsync(buffer, stop.Token);
            if (read == 0)
            {
                to.Socket.Shutdown(SocketShutdown.Send);
                return;
            }

            for (var i = 0; i < read;)
            {
                if (body > 0)
                {
                    var skipped = (int)Math.Min(body, read - i);
                    body -= skipped;
                    i += skipped;
                    continue;
                }

                header.Add(buffer[i++]);
                if (header.Count >= 4 && header[^1] == '\n' && header[^2] == '\r' && header[^3] == '\n' && header[^4] == '\r')
                {
                    body = Count(Encoding.ASCII.GetString([.. header]));
                    header.Clear();
                }
            }

            await to.WriteAsync(buffer.AsMemory(0, read), stop.Token);
        }
    }

    /// <summary>Counts one request by its head; returns the length of its body.</summary>
    private long Count(string head)
    {
        var lines = head.Split("\r\n");
        var requestLine = lines[0].Split(' ');
        if (lines.Any(l => l.StartsWith("Transfer-Encoding:", StringComparison.OrdinalIgnoreCase)))
        {
            throw new InvalidOperationException("a chunked request: the counter reads Content-Length bodies only");
        }

        // /devstoreaccount1/NAME... : the table (up to its key or query) or the queue.
        var path = requestLine.Length > 1 ? requestLine[1] : "";
        var segments = path.Split('?')[0].Split('/', StringSplitOptions.RemoveEmptyEntries);
        var name = segments.Length > 1 ? segments[1].Split('(')[0] : "(account)";
        var what = segments.Length > 2 ? $"{name}/{segments[2]}" : name;
        counts.AddOrUpdate($"{requestLine[0]} {what}", 1, (_, n) => n + 1);
        var length = lines.FirstOrDefault(l => l.StartsWith("Content-Length:", StringComparison.OrdinalIgnoreCase));
        return length is null ? 0 : long.Parse(length["Content-Length:".Length..].Trim(), CultureInfo.InvariantCulture);
    }
}
