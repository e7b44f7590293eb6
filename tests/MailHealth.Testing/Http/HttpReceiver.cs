using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text;
using MailHealth.Testing.Servers;

namespace MailHealth.Testing.Http;

/// <summary>
/// A small HTTP/1.1 server on a loopback peer address that plays a webhook receiver (generic,
/// Slack, Teams): it records every request (method, target, headers, body) and answers from a
/// script (for example 500 then 200), then <see cref="Default"/>. One request per connection
/// (it answers with Connection: close), Content-Length bodies only, as HttpClient sends them.
/// </summary>
public sealed class HttpReceiver : IAsyncDisposable
{
    private const int MaxHeaderBytes = 64 * 1024;
    private readonly SocketServer _server;
    private readonly Queue<ScriptedReply> _script = new();
    private readonly List<ReceivedRequest> _requests = [];
    private readonly Lock _gate = new();
    private readonly SemaphoreSlim _arrived = new(0);

    /// <param name="address">Default <c>$MH_NET.71.1</c> (the webhook receivers' address).</param>
    public HttpReceiver(IPAddress? address = null)
    {
        _server = new SocketServer(ServeAsync, address ?? Peers.Address(71, 1));
    }

    /// <summary>The answer once the script is used up.</summary>
    public ScriptedReply Default { get; set; } = ScriptedReply.Ok;

    public Uri Url(string path = "/hook") => new($"http://{_server.Address}:{_server.Port.ToString(CultureInfo.InvariantCulture)}{path}");

    public IReadOnlyList<ReceivedRequest> Requests
    {
        get
        {
            lock (_gate)
            {
                return [.. _requests];
            }
        }
    }

    /// <summary>Answers the next requests with these, in order.</summary>
    public HttpReceiver Script(params ScriptedReply[] replies)
    {
        lock (_gate)
        {
            foreach (var reply in replies)
            {
                _script.Enqueue(reply);
            }
        }

        return this;
    }

    /// <summary>
    /// Waits until <paramref name="count"/> requests have arrived (the sender's work runs on its own
    /// and cannot be awaited); fails after <paramref name="patience"/> (default 30 s) instead of
    /// hanging when a regression means none ever comes.
    /// </summary>
    public async Task WaitForRequestsAsync(int count, TimeSpan? patience = null)
    {
        using var deadline = new CancellationTokenSource(patience ?? TimeSpan.FromSeconds(30));
        while (Requests.Count < count)
        {
            try
            {
                await _arrived.WaitAsync(deadline.Token);
            }
            catch (OperationCanceledException)
            {
                throw new TimeoutException($"the receiver waited for {count} request(s) and got {Requests.Count}");
            }
        }
    }

    /// <summary>Accepted deliveries as the receiver sees them: answered 2xx, counted once per X-MailHealth-Delivery id.</summary>
    public int DistinctDeliveries(string deliveryHeader = "X-MailHealth-Delivery") =>
        Requests.Where(r => r.AnsweredStatus is >= 200 and <= 299).Select(r => r.Header(deliveryHeader) ?? r.BodyText).Distinct().Count();

    public async ValueTask DisposeAsync()
    {
        await _server.DisposeAsync();
        _arrived.Dispose();
    }

    private async Task ServeAsync(Socket socket, CancellationToken stop)
    {
        await using var stream = new NetworkStream(socket, ownsSocket: false);
        var (head, rest) = await ReadHeadAsync(stream, stop);
        if (head is null)
        {
            return;
        }

        var lines = head.Split("\r\n");
        var requestLine = lines[0].Split(' ');
        var headers = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        foreach (var line in lines.Skip(1).Where(l => l.Length > 0))
        {
            var colon = line.IndexOf(':', StringComparison.Ordinal);
            headers[line[..colon].Trim()] = line[(colon + 1)..].Trim();
        }

        var length = headers.TryGetValue("Content-Length", out var text) ? int.Parse(text, CultureInfo.InvariantCulture) : 0;
        var body = new byte[length];
        var have = Math.Min(rest.Length, length);
        rest.AsSpan(0, have).CopyTo(body);
        await stream.ReadExactlyAsync(body.AsMemory(have), stop);

        ScriptedReply reply;
        lock (_gate)
        {
            reply = _script.Count > 0 ? _script.Dequeue() : Default;
            _requests.Add(new ReceivedRequest(requestLine[0], requestLine.Length > 1 ? requestLine[1] : "", headers, body, reply.Hang ? 0 : reply.Status));
        }

        _arrived.Release();

        if (reply.Hang)
        {
            await Task.Delay(Timeout.Infinite, stop);
            return;
        }

        var answer = new StringBuilder();
        answer.Append(CultureInfo.InvariantCulture, $"HTTP/1.1 {reply.Status} {ReasonPhrase(reply.Status)}\r\n");
        foreach (var (name, value) in reply.Headers ?? new Dictionary<string, string>())
        {
            answer.Append(CultureInfo.InvariantCulture, $"{name}: {value}\r\n");
        }

        var content = Encoding.UTF8.GetBytes(reply.Body);
        answer.Append(CultureInfo.InvariantCulture, $"Content-Type: text/plain\r\nContent-Length: {content.Length}\r\nConnection: close\r\n\r\n");
        await stream.WriteAsync(Encoding.ASCII.GetBytes(answer.ToString()), stop);
        await stream.WriteAsync(content, stop);
        await stream.FlushAsync(stop);
        socket.Shutdown(SocketShutdown.Send);
    }

    /// <summary>The request line and headers (up to the blank line), and whatever body bytes came with them.</summary>
    private static async Task<(string? Head, byte[] Remainder)> ReadHeadAsync(NetworkStream stream, CancellationToken stop)
    {
        var buffer = new byte[MaxHeaderBytes];
        var filled = 0;
        while (filled < buffer.Length)
        {
            var read = await stream.ReadAsync(buffer.AsMemory(filled), stop);
            if (read == 0)
            {
                return (null, []);
            }

            filled += read;
            var end = buffer.AsSpan(0, filled).IndexOf("\r\n\r\n"u8);
            if (end >= 0)
            {
                return (Encoding.ASCII.GetString(buffer, 0, end), buffer[(end + 4)..filled]);
            }
        }

        return (null, []);
    }

    private static string ReasonPhrase(int status) => Enum.IsDefined(typeof(HttpStatusCode), status) ? ((HttpStatusCode)status).ToString() : "Status";
}
