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

    public BacklogFullListener()
    {
        _listener = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp);
        _listener.Bind(new IPEndPoint(IPAddress.Loopback, 0));
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

        Thread.Sleep(200);
    }

    public IPEndPoint EndPoint => (IPEndPoint)_listener.LocalEndPoint!;

    public int Port => EndPoint.Port;

    public void Dispose()
    {
        _fillers.ForEach(f => f.Dispose());
        _listener.Dispose();
    }
}
