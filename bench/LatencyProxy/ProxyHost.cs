using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using MailHealth.Testing.Latency;

namespace MailHealth.Bench;

/// <summary><c>serve</c>: the proxies of the fleet, one link delay for all, until SIGTERM or SIGINT.</summary>
internal static class ProxyHost
{
    public static async Task<int> RunAsync(ProxyOptions options)
    {
        var delay = new LinkDelay(options.Delay);
        var counters = new ProxyCounters();
        var tcpRoutes = new List<(IPEndPoint Listen, EndPoint Upstream)>();
        if (options.Value("--tcp-map") is { } map)
        {
            foreach (var line in File.ReadLines(map).Where(l => l.Length > 0 && l[0] != '#'))
            {
                var parts = line.Split(' ', StringSplitOptions.RemoveEmptyEntries);
                tcpRoutes.Add((IPEndPoint.Parse(parts[0]), IPEndPoint.Parse(parts[1])));
            }
        }

        tcpRoutes.AddRange(options.Routes("--tcp").Select(r => (r.Listen, (EndPoint)r.Upstream)));
        var dnsRoutes = options.Routes("--dns").ToList();
        // DNS over TCP takes the same link (a truncated answer is asked again over TCP).
        tcpRoutes.AddRange(dnsRoutes.Select(r => (r.Listen, (EndPoint)r.Upstream)));

        await using var tcp = TcpDelayProxy.Start(tcpRoutes, delay, counters: counters);
        var udp = dnsRoutes.Select(r => DnsUdpDelayProxy.Start(r.Listen, r.Upstream, delay, counters: counters)).ToList();
        using var stop = new CancellationTokenSource();
        using var term = PosixSignalRegistration.Create(PosixSignal.SIGTERM, c => { c.Cancel = true; stop.Cancel(); });
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, c => { c.Cancel = true; stop.Cancel(); });
        Task control = Task.CompletedTask;
        if (options.Value("--control") is { } at)
        {
            var listener = new TcpListener(IPEndPoint.Parse(at));
            listener.Start();
            control = ControlAsync(listener, delay, counters, stop.Token);
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"relaying {tcpRoutes.Count} TCP and {dnsRoutes.Count} DNS route(s), {delay.OneWay.TotalMilliseconds} ms each way"));
        try
        {
            await Task.Delay(Timeout.Infinite, stop.Token);
        }
        catch (OperationCanceledException)
        {
            // SIGTERM or SIGINT.
        }

        foreach (var proxy in udp)
        {
            await proxy.DisposeAsync();
        }

        await control.ContinueWith(_ => { }, TaskScheduler.Default);
        return 0;
    }

    private static async Task ControlAsync(TcpListener listener, LinkDelay delay, ProxyCounters counters, CancellationToken stop)
    {
        using var _ = stop.Register(listener.Stop);
        while (!stop.IsCancellationRequested)
        {
            try
            {
                using var client = await listener.AcceptTcpClientAsync(stop);
                await ServeAsync(client, delay, counters, stop);
            }
            catch (IOException)
            {
                // The controlling side went away mid-command: wait for the next one.
            }
        }
    }

    private static async Task ServeAsync(TcpClient client, LinkDelay delay, ProxyCounters counters, CancellationToken stop)
    {
        using var stream = client.GetStream();
        using var reader = new StreamReader(stream, Encoding.ASCII);
        await using var writer = new StreamWriter(stream, Encoding.ASCII) { AutoFlush = true, NewLine = "\n" };
        while (await reader.ReadLineAsync(stop) is { } command)
        {
            var words = command.Split(' ', StringSplitOptions.RemoveEmptyEntries);
            switch (words)
            {
                case ["delay", var ms] when double.TryParse(ms, CultureInfo.InvariantCulture, out var value) && value >= 0:
                    delay.OneWay = TimeSpan.FromMilliseconds(value);
                    await writer.WriteLineAsync("ok");
                    break;
                case ["stats"]:
                    await writer.WriteLineAsync(JsonSerializer.Serialize(new
                    {
                        delayMs = delay.OneWay.TotalMilliseconds,
                        connections = counters.Connections,
                        connectionsOpen = counters.ConnectionsOpen,
                        tcpBytes = counters.TcpBytes,
                        queries = counters.Queries,
                        replies = counters.Replies,
                    }));
                    break;
                default:
                    await writer.WriteLineAsync("error: delay MS | stats");
                    break;
            }
        }
    }
}
