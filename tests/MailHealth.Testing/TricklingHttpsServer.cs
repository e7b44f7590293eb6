using System.Net;
using System.Net.Security;
using System.Net.Sockets;
using System.Security.Cryptography.X509Certificates;
using System.Text;

namespace MailHealth.Testing;

/// <summary>
/// A hostile HTTPS peer: completes the TLS handshake, then sends a 200 answer one byte per
/// <c>delay</c>, so that a client without a deadline would wait for minutes.
/// </summary>
public sealed class TricklingHttpsServer : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly X509Certificate2 _certificate;
    private readonly TimeSpan _delay;
    private readonly byte[] _answer;
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;
    private int _handshakes;

    /// <param name="endpoint">Where to listen.</param>
    /// <param name="certificate">Server certificate with its private key.</param>
    /// <param name="body">What the 200 answer carries, as text/plain.</param>
    /// <param name="delay">Pause between two bytes of the answer.</param>
    public TricklingHttpsServer(IPEndPoint endpoint, X509Certificate2 certificate, string body, TimeSpan delay)
    {
        _certificate = certificate;
        _delay = delay;
        var bytes = Encoding.UTF8.GetBytes(body);
        _answer = Encoding.ASCII.GetBytes($"HTTP/1.1 200 OK\r\nContent-Type: text/plain\r\nContent-Length: {bytes.Length}\r\n\r\n")
            .Concat(bytes).ToArray();
        _listener = new TcpListener(endpoint);
        _listener.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        _listener.Start();
        _loop = AcceptAsync();
    }

    /// <summary>TLS handshakes completed (to assert the client got that far).</summary>
    public int Handshakes => Volatile.Read(ref _handshakes);

    private async Task AcceptAsync()
    {
        var sessions = new List<Task>();
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var client = await _listener.AcceptTcpClientAsync(_stop.Token);
                sessions.Add(ServeAsync(client));
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (SocketException)
        {
        }

        await Task.WhenAll(sessions);
    }

    private async Task ServeAsync(TcpClient client)
    {
        using (client)
        {
            try
            {
                await using var tls = new SslStream(client.GetStream());
                await tls.AuthenticateAsServerAsync(new SslServerAuthenticationOptions { ServerCertificate = _certificate }, _stop.Token);
                Interlocked.Increment(ref _handshakes);
                var request = new byte[4096];
                _ = await tls.ReadAsync(request, _stop.Token);
                foreach (var b in _answer)
                {
                    await tls.WriteAsync(new[] { b }, _stop.Token);
                    await tls.FlushAsync(_stop.Token);
                    await Task.Delay(_delay, _stop.Token);
                }
            }
            catch (Exception e) when (e is OperationCanceledException or IOException or System.Security.Authentication.AuthenticationException)
            {
            }
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _loop;
        _stop.Dispose();
    }
}
