using System.Diagnostics;
using System.Globalization;
using MailHealth.Testing;

namespace MailHealth.Bench;

/// <summary>prometheus-blackbox-exporter (Debian package) probing one listener with STARTTLS.</summary>
internal static class Blackbox
{
    public static string Find()
    {
        foreach (var path in new[] { "/usr/bin/prometheus-blackbox-exporter", "/usr/sbin/prometheus-blackbox-exporter" })
        {
            if (File.Exists(path))
            {
                return path;
            }
        }

        throw new InvalidOperationException("install the peer: apt-get install -y prometheus-blackbox-exporter");
    }

    public sealed record Result(double Wall, double CpuSeconds, double PeakRssMb, int Succeeded, IReadOnlyList<(string Peer, double Seconds)> PeersCpu);

    /// <summary>The same <paramref name="listener"/> probed <paramref name="size"/> times (the peers' good Postfix listener).</summary>
    public static Task<Result> RunAsync(string exporter, string listener, int size, int concurrency) =>
        RunAsync(exporter, [.. Enumerable.Repeat(listener, size)], "mx.good.smtp.test", concurrency);

    /// <summary>One STARTTLS probe of each of <paramref name="targets"/> (IP:PORT), <paramref name="concurrency"/> at once, the certificate checked for <paramref name="serverName"/>.</summary>
    public static async Task<Result> RunAsync(string exporter, IReadOnlyList<string> targets, string serverName, int concurrency)
    {
        var dir = Directory.CreateTempSubdirectory("fleetbench-blackbox").FullName;
        var config = Path.Combine(dir, "blackbox.yml");
        // The STARTTLS dialogue blackbox_exporter's documentation shows: greeting, EHLO, STARTTLS, handshake, QUIT.
        await File.WriteAllTextAsync(config, $"""
            modules:
              smtp_starttls:
                prober: tcp
                timeout: 30s
                tcp:
                  tls_config:
                    ca_file: "{Peers.CaFile}"
                    server_name: {serverName}
                  query_response:
                    - expect: "^220 "
                    - send: "EHLO probe.mailhealth.test\r"
                    - expect: "^250-STARTTLS"
                    - send: "STARTTLS\r"
                    - expect: "^220"
                    - starttls: true
                    - send: "EHLO probe.mailhealth.test\r"
                    - expect: "^250 "
                    - send: "QUIT\r"
            """);
        var address = $"{Peers.Address(0, 90)}:9115";
        var start = new ProcessStartInfo(exporter) { RedirectStandardError = true, RedirectStandardOutput = true };
        start.ArgumentList.Add($"--config.file={config}");
        start.ArgumentList.Add($"--web.listen-address={address}");
        using var process = Process.Start(start)!;
        _ = process.StandardError.ReadToEndAsync();
        _ = process.StandardOutput.ReadToEndAsync();
        using var http = new HttpClient { Timeout = TimeSpan.FromSeconds(60) };
        try
        {
            for (var i = 0; i < 100; i++)
            {
                try
                {
                    (await http.GetAsync($"http://{address}/metrics")).EnsureSuccessStatusCode();
                    break;
                }
                catch (HttpRequestException)
                {
                    await Task.Delay(100);
                }
            }

            var cpuBefore = ProcStat.CpuSeconds(process.Id);
            var peersBefore = PeerCpu.Snapshot();
            var clock = Stopwatch.StartNew();
            var succeeded = 0;
            using var slots = new SemaphoreSlim(concurrency);
            await Task.WhenAll(targets.Select(async target =>
            {
                await slots.WaitAsync();
                try
                {
                    var body = await http.GetStringAsync($"http://{address}/probe?module=smtp_starttls&target={target}");
                    if (body.Contains("probe_success 1", StringComparison.Ordinal))
                    {
                        Interlocked.Increment(ref succeeded);
                    }
                }
                finally
                {
                    slots.Release();
                }
            }));
            var wall = clock.Elapsed.TotalSeconds;
            return new Result(wall, ProcStat.CpuSeconds(process.Id) - cpuBefore, PeakRssMb(process.Id), succeeded, PeerCpu.Between(peersBefore, PeerCpu.Snapshot()));
        }
        finally
        {
            process.Kill();
            await process.WaitForExitAsync();
            Directory.Delete(dir, recursive: true);
        }
    }

    private static double PeakRssMb(int pid)
    {
        var line = File.ReadLines($"/proc/{pid}/status").First(l => l.StartsWith("VmHWM:", StringComparison.Ordinal));
        return long.Parse(line.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1], CultureInfo.InvariantCulture) / 1024.0;
    }
}
