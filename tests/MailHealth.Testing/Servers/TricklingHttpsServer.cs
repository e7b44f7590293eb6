using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace MailHealth.Testing.Servers;

/// <summary>
/// A hostile HTTPS peer: completes the TLS handshake, then sends a 200 answer one byte per
/// <c>delay</c>, so that a client without a deadline would wait for minutes. A
/// <see cref="SocketServer"/> whose behaviour is the trickle; it counts the handshakes.
/// </summary>
public sealed class TricklingHttpsServer : IAsyncDisposable
{
    private readonly SocketServer _server;
    private readonly X509Certificate2 _certificate;
    private readonly TimeSpan _delay;
    private readonly byte[] _answer;
    private int _handshakes;

    /// <param name="endpoint">Where to listen.</param>
    /// <param name="certificate">Server certificate with its private key.</param>
    /// <param name="body">What the 200 answer carries, as text/plain.</param>
    /// <param name="delay">Pause between two bytes of the answer.</param>
    public TricklingHttpsServer(IPEndPoint endpoint, X509Certificate2 certificate, string body, TimeSpan delay)
    {
        ArgumentNullException.ThrowIfNull(endpoint);
        _certificate = certificate;
        _delay = delay;
        var bytes = Encoding.UTF8.GetBytes(body);
        _answer = [.. Encoding.ASCII.GetBytes($"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: {bytes.Length}\r\n\r\n"), .. bytes];
        _server = new SocketServer(TrickleAsync, endpoint.Address, endpoint.Port);
    }

    /// <summary>TLS handshakes completed (to assert the client got that far).</summary>
    public int Handshakes => Volatile.Read(ref _handshakes);

    private async Task TrickleAsync(Socket client, CancellationToken stop)
    {
        await using var tls = new SslStream(new NetworkStream(client, ownsSocket: false));
        await tls.AuthenticateAsServerAsync(new SslServerAuthenticationOptions { ServerCertificate = _certificate }, stop);
        Interlocked.Increment(ref _handshakes);
        var request = new byte[4096];
        _ = await tls.ReadAsync(request, stop);
        foreach (var b in _answer)
        {
            await tls.WriteAsync(new[] { b }, stop);
            await tls.FlushAsync(stop);
            await Task.Delay(_delay, stop);
        }
    }

    public ValueTask DisposeAsync() => _server.DisposeAsync();
}
