namespace MailHealth.Testing.Latency;

/// <summary>What the delaying proxies carried, counted as they go (read by the benchmarks).</summary>
public sealed class ProxyCounters
{
    private long _connections;
    private long _connectionsOpen;
    private long _tcpBytes;
    private long _queries;
    private long _replies;

    /// <summary>TCP connections accepted so far.</summary>
    public long Connections => Interlocked.Read(ref _connections);

    /// <summary>TCP connections being relayed now.</summary>
    public long ConnectionsOpen => Interlocked.Read(ref _connectionsOpen);

    /// <summary>Bytes relayed over TCP, both directions.</summary>
    public long TcpBytes => Interlocked.Read(ref _tcpBytes);

    /// <summary>DNS messages over UDP from clients to the server (questions asked upstream).</summary>
    public long Queries => Interlocked.Read(ref _queries);

    /// <summary>DNS messages over UDP from the server back to clients.</summary>
    public long Replies => Interlocked.Read(ref _replies);

    internal void ConnectionOpened()
    {
        Interlocked.Increment(ref _connections);
        Interlocked.Increment(ref _connectionsOpen);
    }

    internal void ConnectionClosed() => Interlocked.Decrement(ref _connectionsOpen);

    internal void Relayed(int bytes) => Interlocked.Add(ref _tcpBytes, bytes);

    internal void Query() => Interlocked.Increment(ref _queries);

    internal void Reply() => Interlocked.Increment(ref _replies);
}
