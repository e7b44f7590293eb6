using System.Buffers.Binary;
using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using MailHealth.Testing.Latency;
using MailHealth.Testing.Servers;

namespace MailHealth.Bench;

/// <summary>
/// <c>measure</c>: what the delaying proxy itself costs on this machine, all in this process
/// against loopback echo servers: the latency it adds beyond the configured delay (round trips
/// less twice the delay), the CPU per relayed connection and per DNS question (this process's CPU
/// through the proxy less the same work done directly), and the throughput of one connection.
/// </summary>
internal static class Overhead
{
    private const int Pings = 300;

    public static async Task RunAsync(TimeSpan duration)
    {
        Console.WriteLine($"delaying proxy overhead, {Environment.ProcessorCount} cores, in process against loopback echo servers");
        await using var echo = new SocketServer(EchoAsync);
        using var udpEcho = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        udpEcho.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        using var stop = new CancellationTokenSource();
        var answering = AnswerAsync(udpEcho, stop.Token);
        var udpServer = (IPEndPoint)udpEcho.LocalEndPoint!;

        foreach (var ms in new[] { 0, 20 })
        {
            var delay = new LinkDelay(TimeSpan.FromMilliseconds(ms));
            await using var tcp = TcpDelayProxy.Start([(new IPEndPoint(IPAddress.Loopback, 0), echo.EndPoint)], delay);
            await using var udp = DnsUdpDelayProxy.Start(new IPEndPoint(IPAddress.Loopback, 0), udpServer, delay);
            var tcpAdded = await AddedLatencyAsync(tcp.Endpoints[0], delay.RoundTrip, TcpPingAsync);
            var udpAdded = await AddedLatencyAsync(udp.Endpoint, delay.RoundTrip, UdpPingAsync);
            Console.WriteLine($"  delay {ms} ms each way: added to a round trip, TCP p50 {tcpAdded.P50:0.00} ms p99 {tcpAdded.P99:0.00} ms; DNS over UDP p50 {udpAdded.P50:0.00} ms p99 {udpAdded.P99:0.00} ms");

            var direct = await ConnectionsAsync(echo.EndPoint, duration);
            var relayed = await ConnectionsAsync(tcp.Endpoints[0], duration);
            Console.WriteLine($"  delay {ms} ms: connections (connect, 1 KiB each way, close; 64 at once): direct {direct.PerSecond:0} /s at {direct.CpuMsEach:0.000} CPU ms each, through the proxy {relayed.PerSecond:0} /s at {relayed.CpuMsEach:0.000} CPU ms each: the proxy's share {relayed.CpuMsEach - direct.CpuMsEach:0.000} CPU ms per connection");

            var questionsDirect = await QuestionsAsync(udpServer, duration);
            var questionsRelayed = await QuestionsAsync(udp.Endpoint, duration);
            Console.WriteLine($"  delay {ms} ms: DNS questions over UDP (256 askers): direct {questionsDirect.PerSecond:0} /s at {questionsDirect.CpuMsEach * 1000:0} CPU us each, through the proxy {questionsRelayed.PerSecond:0} /s at {questionsRelayed.CpuMsEach * 1000:0} CPU us each: the proxy's share {(questionsRelayed.CpuMsEach - questionsDirect.CpuMsEach) * 1000:0} CPU us per question");

            var throughput = await ThroughputAsync(tcp.Endpoints[0], duration);
            Console.WriteLine($"  delay {ms} ms: one connection's throughput (each byte there and back) {throughput:0} MiB/s");
        }

        await stop.CancelAsync();
        await answering.ContinueWith(_ => { }, TaskScheduler.Default);
    }

    private static async Task<(double P50, double P99)> AddedLatencyAsync(IPEndPoint at, TimeSpan roundTrip, Func<IPEndPoint, int, Task<TimeSpan[]>> ping)
    {
        var times = await ping(at, Pings);
        var added = times.Select(t => (t - roundTrip).TotalMilliseconds).Order().ToArray();
        return (added[added.Length / 2], added[(int)(added.Length * 0.99)]);
    }

    /// <summary>Round trips of 64 bytes on one open connection, one after another.</summary>
    private static async Task<TimeSpan[]> TcpPingAsync(IPEndPoint at, int count)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(at);
        var message = new byte[64];
        var reply = new byte[64];
        var times = new TimeSpan[count];
        for (var i = -10; i < count; i++)
        {
            var start = Stopwatch.GetTimestamp();
            await socket.SendAsync(message);
            for (var got = 0; got < reply.Length;)
            {
                got += await socket.ReceiveAsync(reply.AsMemory(got));
            }

            if (i >= 0)
            {
                times[i] = Stopwatch.GetElapsedTime(start);
            }
        }

        return times;
    }

    private static async Task<TimeSpan[]> UdpPingAsync(IPEndPoint at, int count)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
        socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
        var question = new byte[40];
        var answer = new byte[512];
        var times = new TimeSpan[count];
        for (var i = -10; i < count; i++)
        {
            var start = Stopwatch.GetTimestamp();
            await socket.SendToAsync(question, at);
            await socket.ReceiveAsync(answer);
            if (i >= 0)
            {
                times[i] = Stopwatch.GetElapsedTime(start);
            }
        }

        return times;
    }

    private static Task<(double PerSecond, double CpuMsEach)> ConnectionsAsync(IPEndPoint at, TimeSpan duration) =>
        RateAsync(64, duration, async () =>
        {
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
            await socket.ConnectAsync(at);
            var block = new byte[1024];
            await socket.SendAsync(block);
            socket.Shutdown(SocketShutdown.Send);
            while (await socket.ReceiveAsync(block) > 0)
            {
            }
        });

    private static Task<(double PerSecond, double CpuMsEach)> QuestionsAsync(IPEndPoint at, TimeSpan duration) =>
        RateAsync(256, duration, async () =>
        {
            using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Dgram, ProtocolType.Udp);
            socket.Bind(new IPEndPoint(IPAddress.Loopback, 0));
            var question = new byte[40];
            await socket.SendToAsync(question, at);
            using var timeout = new CancellationTokenSource(TimeSpan.FromSeconds(2));
            await socket.ReceiveAsync(new byte[512], SocketFlags.None, timeout.Token);
        });

    /// <summary><paramref name="width"/> workers repeating <paramref name="once"/> for <paramref name="duration"/>: operations per second and this process's CPU per operation.</summary>
    private static async Task<(double PerSecond, double CpuMsEach)> RateAsync(int width, TimeSpan duration, Func<Task> once)
    {
        using var process = Process.GetCurrentProcess();
        var cpu = process.TotalProcessorTime;
        var clock = Stopwatch.StartNew();
        long done = 0;
        await Task.WhenAll(Enumerable.Range(0, width).Select(async _ =>
        {
            while (clock.Elapsed < duration)
            {
                try
                {
                    await once();
                    Interlocked.Increment(ref done);
                }
                catch (Exception e) when (e is SocketException or OperationCanceledException)
                {
                    // A lost datagram or a refused connection counts as nothing done.
                }
            }
        }));
        var wall = clock.Elapsed.TotalSeconds;
        process.Refresh();
        return (done / wall, (process.TotalProcessorTime - cpu).TotalMilliseconds / Math.Max(1, done));
    }

    /// <summary>MiB per second through one connection: 64 KiB blocks sent while the echo comes back.</summary>
    private static async Task<double> ThroughputAsync(IPEndPoint at, TimeSpan duration)
    {
        using var socket = new Socket(AddressFamily.InterNetwork, SocketType.Stream, ProtocolType.Tcp) { NoDelay = true };
        await socket.ConnectAsync(at);
        var block = new byte[64 * 1024];
        long received = 0;
        var clock = Stopwatch.StartNew();
        var reading = Task.Run(async () =>
        {
            var buffer = new byte[64 * 1024];
            int read;
            while ((read = await socket.ReceiveAsync(buffer)) > 0)
            {
                received += read;
            }
        });
        while (clock.Elapsed < duration)
        {
            await socket.SendAsync(block);
        }

        socket.Shutdown(SocketShutdown.Send);
        await reading;
        return received / 1048576.0 / clock.Elapsed.TotalSeconds;
    }

    private static async Task EchoAsync(Socket socket, CancellationToken stop)
    {
        socket.NoDelay = true;
        var buffer = new byte[64 * 1024];
        int read;
        while ((read = await socket.ReceiveAsync(buffer, stop)) > 0)
        {
            await socket.SendAsync(buffer.AsMemory(0, read), stop);
        }

        socket.Shutdown(SocketShutdown.Send);
    }

    private static async Task AnswerAsync(Socket server, CancellationToken stop)
    {
        var buffer = new byte[512];
        while (!stop.IsCancellationRequested)
        {
            var received = await server.ReceiveFromAsync(buffer, new IPEndPoint(IPAddress.Any, 0), stop);
            BinaryPrimitives.WriteUInt16BigEndian(buffer.AsSpan(2), (ushort)(BinaryPrimitives.ReadUInt16BigEndian(buffer.AsSpan(2)) | 0x8000));
            await server.SendToAsync(buffer.AsMemory(0, received.ReceivedBytes), received.RemoteEndPoint, stop);
        }
    }
}
