using System.Net;
using System.Net.Sockets;

namespace MailHealth.Testing;

/// <summary>
/// A hostile peer that accepts TCP connections and then never says or reads anything: the
/// "server that never answers". Connections stay open until the server is disposed.
/// </summary>
public sealed class SilentTcpServer : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly List<Socket> _accepted = [];
    private readonly CancellationTokenSource _stop = new();
    private readonly Task _loop;

    public SilentTcpServer(IPEndPoint endpoint)
    {
        _listener = new TcpListener(endpoint);
        _listener.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        _listener.Start();
        _loop = AcceptAsync();
    }

    public IPEndPoint Endpoint => (IPEndPoint)_listener.LocalEndpoint;

    /// <summary>Connections accepted so far (to assert the client really came).</summary>
    public int Accepted
    {
        get
        {
            lock (_accepted)
            {
                return _accepted.Count;
            }
        }
    }

    private async Task AcceptAsync()
    {
        try
        {
            while (!_stop.IsCancellationRequested)
            {
                var socket = await _listener.AcceptSocketAsync(_stop.Token);
                lock (_accepted)
                {
                    _accepted.Add(socket);
                }
            }
        }
        catch (OperationCanceledException)
        {
        }
        catch (SocketException)
        {
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        await _loop;
        lock (_accepted)
        {
            foreach (var socket in _accepted)
            {
                socket.Dispose();
            }
        }

        _stop.Dispose();
    }
}
