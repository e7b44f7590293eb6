using System.Net;

namespace MailHealth.Testing.Servers;

/// <summary>
/// An SMTP server on 127.0.0.1 (one or several ephemeral ports) that says nothing to a connection
/// until the test opens its gate, then holds an honest short dialogue (EHLO without STARTTLS,
/// QUIT). It shows what a run does while its probes wait (<see cref="ConnectionsAsync"/> says
/// when they got there), without a clock: the test decides when the probes may go on.
/// </summary>
public sealed class GatedSmtpServer : IAsyncDisposable
{
    private const string Name = "gated.smtp.test";
    private readonly TaskCompletionSource _gate = new(TaskCreationOptions.RunContinuationsAsynchronously);
    private readonly List<SocketServer> _servers;
    private readonly Lock _lock = new();
    private readonly List<(int Count, TaskCompletionSource Reached)> _waiters = [];
    private int _connections;

    public GatedSmtpServer(int ports = 1)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(ports, 1);
        _servers = [.. Enumerable.Range(0, ports).Select(_ => new SocketServer(ConverseAsync, IPAddress.Loopback))];
    }

    /// <summary>The ports it listens on, on 127.0.0.1.</summary>
    public IReadOnlyList<int> Ports => [.. _servers.Select(s => s.Port)];

    /// <summary>Connections accepted so far, on every port.</summary>
    public int Connections => Volatile.Read(ref _connections);

    /// <summary>Completes once <paramref name="count"/> connections have been accepted: wait on it with a bound.</summary>
    public Task ConnectionsAsync(int count)
    {
        lock (_lock)
        {
            if (_connections >= count)
            {
                return Task.CompletedTask;
            }

            var reached = new TaskCompletionSource(TaskCreationOptions.RunContinuationsAsynchronously);
            _waiters.Add((count, reached));
            return reached.Task;
        }
    }

    /// <summary>Greets every connection waiting and every one to come.</summary>
    public void Open() => _gate.TrySetResult();

    public async ValueTask DisposeAsync()
    {
        Open();
        foreach (var server in _servers)
        {
            await server.DisposeAsync();
        }
    }

    private async Task ConverseAsync(System.Net.Sockets.Socket socket, CancellationToken stop)
    {
        lock (_lock)
        {
            _connections++;
            foreach (var waiter in _waiters.Where(w => w.Count <= _connections).ToList())
            {
                waiter.Reached.TrySetResult();
                _waiters.Remove(waiter);
            }
        }

        await _gate.Task.WaitAsync(stop);
        await HostileSmtpServers.ConverseAsync(socket, $"220 {Name} ESMTP", ["250-" + Name, "250 8BITMIME"], stop);
    }
}
