using System.Net;
using System.Net.Sockets;

namespace MailHealth.Testing.Servers;

/// <summary>
/// A small TCP server on loopback with an ephemeral port: every accepted connection runs the
/// given behaviour. Disposing it stops listening and drops every connection.
/// </summary>
public sealed class SocketServer : IAsyncDisposable
{
    private readonly TcpListener _listener;
    private readonly Func<Socket, CancellationToken, Task> _behaviour;
    private readonly CancellationTokenSource _stop = new();
    private readonly List<Task> _connections = [];
    private readonly List<Socket> _sockets = [];
    private readonly Lock _gate = new();
    private readonly Task _accepting;

    public SocketServer(Func<Socket, CancellationToken, Task> behaviour, IPAddress? address = null, int port = 0)
    {
        _behaviour = behaviour;
        _listener = new TcpListener(address ?? IPAddress.Loopback, port);
        if (port != 0)
        {
            // A fixed port is bound again by the next test while the last one's connections are in TIME_WAIT.
            _listener.Server.SetSocketOption(SocketOptionLevel.Socket, SocketOptionName.ReuseAddress, true);
        }

        _listener.Start();
        _accepting = AcceptAsync();
    }

    /// <summary>Accepts and never says or reads a word: the server that never answers. Connections stay open until disposal.</summary>
    public static SocketServer Silent(IPAddress? address = null, int port = 0) =>
        new(async (_, stop) => await Task.Delay(Timeout.Infinite, stop), address, port);

    public IPEndPoint EndPoint => (IPEndPoint)_listener.LocalEndpoint;

    public int Port => EndPoint.Port;

    public IPAddress Address => EndPoint.Address;

    /// <summary>How many connections were accepted so far.</summary>
    public int Accepted { get; private set; }

    private async Task AcceptAsync()
    {
        while (!_stop.IsCancellationRequested)
        {
            Socket socket;
            try
            {
                socket = await _listener.AcceptSocketAsync(_stop.Token);
            }
            // Disposed between the loop's check and the accept: the listener says "Not listening".
            catch (Exception e) when (e is OperationCanceledException or SocketException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            lock (_gate)
            {
                Accepted++;
                _sockets.Add(socket);
                _connections.Add(RunAsync(socket));
            }
        }
    }

    private async Task RunAsync(Socket socket)
    {
        try
        {
            await _behaviour(socket, _stop.Token);
        }
        catch (Exception e) when (e is OperationCanceledException or IOException or SocketException or ObjectDisposedException
            or System.Security.Authentication.AuthenticationException)
        {
            // The client went away or the server was stopped: both are the point of these servers.
        }
        finally
        {
            socket.Dispose();
        }
    }

    public async ValueTask DisposeAsync()
    {
        await _stop.CancelAsync();
        _listener.Stop();
        Task[] running;
        lock (_gate)
        {
            _sockets.ForEach(s => s.Dispose());
            running = [.. _connections];
        }

        await Task.WhenAll(running.Append(_accepting));
        _stop.Dispose();
    }
}
