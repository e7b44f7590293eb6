using System.Net;
using System.Net.Sockets;

namespace MailHealth.Testing.Servers;

/// <summary>
/// A port whose TCP connects hang: it listens with the smallest backlog, never accepts, and its
/// queue is filled at start, so the kernel drops every further SYN and a client's connect times
/// out as it would behind a filtering firewall (Linux drops SYNs when the accept queue is full).
/// </summary>
public sealed class BacklogFullListener : IDisposable
{
    private readonly Socket _listener;
    private readonly List<Socket> _fillers = [];

    /// <param name="endPoint">Where to listen; default an ephemeral port on 127.0.0.1.</param>
    public BacklogFullListener(IPEndPoint? endPoint = null)
    {
        _listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        _listener.Bind(endPoint ?? new IPEndPoint(IPAddress.Loopback, 0));
        _listener.Listen(0);
        for (var i = 0; i < 4; i++)
        {
            var filler = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { Blocking = false };
            try
            {
                filler.Connect(EndPoint);
            }
            catch (SocketException)
            {
                // In progress (or dropped): either way it takes a place in the queue.
            }

            _fillers.Add(filler);
        }

        // On loopback the first filler's handshake completes at once and fills the accept queue
        // (Listen(0) holds one connection); the later SYNs are dropped. A completed connect makes
        // its socket writable: wait for that, not for a fixed time.
        if (!_fillers.Any(f => f.Poll(TimeSpan.FromSeconds(10), SelectMode.SelectWrite)))
        {
            Dispose();
            throw new InvalidOperationException($"no filler connected to {EndPoint}: the accept queue is not full");
        }
    }

    public IPEndPoint EndPoint => (IPEndPoint)_listener.LocalEndPoint!;

    public int Port => EndPoint.Port;

    public void Dispose()
    {
        _fillers.ForEach(f => f.Dispose());
        _listener.Dispose();
    }
}
