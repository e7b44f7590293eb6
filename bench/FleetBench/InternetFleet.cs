using System.Diagnostics;
using System.Globalization;
using System.Net;
using System.Net.Sockets;
using System.Text.Json;
using MailHealth.Testing;

namespace MailHealth.Bench;

/// <summary>
/// The internet-like fleet that eng/peers/fleet.sh starts: its domains, its resolver (unbound,
/// counted through unbound-control), and the delaying proxy's control port (the link's delay,
/// the questions the resolver sent on to the authoritative server).
/// </summary>
internal static class InternetFleet
{
    public static IPEndPoint Resolver => new(Peers.Address(80, 55), 53);

    /// <summary>A name the fleet's Postfix certificate is valid for (*.mx.internet.test), for blackbox_exporter's check.</summary>
    public const string ServerName = "probe.mx.internet.test";

    private static string Dir => Path.Combine(Peers.State, "fleet");

    private static IPEndPoint Control => new(Peers.Address(80, 59), 5300);

    public static bool IsRunning => File.Exists(Path.Combine(Dir, "gen", "domains.tsv")) && File.Exists(Path.Combine(Dir, "unbound", "unbound.pid"));

    /// <summary>The first <paramref name="count"/> domains and the address of each one's first MX host.</summary>
    public static IReadOnlyList<(string Domain, string MxAddress, bool Provider)> Domains(int count) =>
        [.. File.ReadLines(Path.Combine(Dir, "gen", "domains.tsv")).Take(count).Select(l => l.Split('\t')).Select(p => (p[0], p[1], p[2] != "-"))];

    /// <summary>The link's one-way delay from now on (the mail hosts and the resolver's questions to Knot).</summary>
    public static async Task SetDelayAsync(int milliseconds)
    {
        var answer = await CommandAsync(string.Create(CultureInfo.InvariantCulture, $"delay {milliseconds}"));
        if (answer != "ok")
        {
            throw new InvalidOperationException($"the delaying proxy refused the delay: {answer}");
        }
    }

    /// <summary>Questions the resolver sent on to the authoritative server so far (through the delayed link).</summary>
    public static async Task<long> UpstreamQuestionsAsync()
    {
        using var stats = JsonDocument.Parse(await CommandAsync("stats"));
        return stats.RootElement.GetProperty("queries").GetInt64();
    }

    /// <summary>Empties the resolver's caches (a reload), so the next run is cold.</summary>
    public static async Task FlushResolverAsync() => await UnboundControlAsync("reload");

    /// <summary>The resolver's counters so far (cumulative): total.num.queries and num.query.type.*.</summary>
    public static async Task<IReadOnlyDictionary<string, long>> ResolverCountersAsync()
    {
        var text = await UnboundControlAsync("stats_noreset");
        return text.Split('\n')
            .Select(l => l.Split('='))
            .Where(p => p.Length == 2 && (p[0] == "total.num.queries" || p[0].StartsWith("num.query.type.", StringComparison.Ordinal)) && long.TryParse(p[1], out _))
            .ToDictionary(p => p[0], p => long.Parse(p[1], CultureInfo.InvariantCulture));
    }

    /// <summary>What the resolver answered between two snapshots: questions in all, and by type.</summary>
    public static IReadOnlyDictionary<string, long> Between(IReadOnlyDictionary<string, long> before, IReadOnlyDictionary<string, long> after) =>
        after.ToDictionary(p => p.Key, p => p.Value - before.GetValueOrDefault(p.Key));

    /// <summary>CPU seconds so far of the fleet's own servers (the resolver, Knot, the proxy, nginx).</summary>
    public static IReadOnlyDictionary<string, double> CpuSnapshot() => new Dictionary<string, double>
    {
        ["fleet unbound"] = Cpu("unbound/unbound.pid"),
        ["fleet Knot"] = Cpu("knot/knot.pid"),
        ["delaying proxy"] = Cpu("proxy/proxy.pid"),
        ["fleet nginx"] = Cpu("nginx/nginx.pid"),
    };

    private static double Cpu(string pidFile) =>
        File.Exists(Path.Combine(Dir, pidFile)) && int.TryParse(File.ReadAllText(Path.Combine(Dir, pidFile)).Trim(), out var pid)
            ? ProcStat.CpuSeconds(pid, withReapedChildren: true)
            : 0;

    private static async Task<string> CommandAsync(string command)
    {
        using var client = new TcpClient();
        await client.ConnectAsync(Control);
        await using var stream = client.GetStream();
        using var reader = new StreamReader(stream);
        await using var writer = new StreamWriter(stream) { AutoFlush = true, NewLine = "\n" };
        await writer.WriteLineAsync(command);
        return await reader.ReadLineAsync() ?? "";
    }

    private static async Task<string> UnboundControlAsync(string command)
    {
        var start = new ProcessStartInfo("unbound-control") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var arg in new[] { "-c", Path.Combine(Dir, "unbound", "unbound.conf"), command })
        {
            start.ArgumentList.Add(arg);
        }

        using var process = Process.Start(start)!;
        var output = await process.StandardOutput.ReadToEndAsync();
        var errors = await process.StandardError.ReadToEndAsync();
        await process.WaitForExitAsync();
        if (process.ExitCode != 0)
        {
            throw new InvalidOperationException($"unbound-control {command}: {errors.Trim()}");
        }

        return output;
    }
}
