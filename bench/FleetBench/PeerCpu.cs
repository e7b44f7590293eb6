using System.Globalization;
using MailHealth.Testing;

namespace MailHealth.Bench;

/// <summary>
/// The CPU the loopback peers spend while one side runs, from /proc. The tools share the
/// machine's cores with the servers they talk to (MailHealth with the DNS servers, blackbox_exporter
/// with Postfix), so once both sides keep the cores busy the wall ratio follows the whole CPU each
/// run costs the machine, not the tool's alone.
/// </summary>
internal static class PeerCpu
{
    /// <summary>CPU seconds so far of each peer: its own and that of the children it has reaped.</summary>
    public static IReadOnlyDictionary<string, double> Snapshot() => new Dictionary<string, double>
    {
        ["unbound"] = Daemon(Path.Combine(Peers.State, "unbound/unbound.pid")),
        ["Knot"] = Daemon(Path.Combine(Peers.State, "knot/knot.pid")),
        ["rbldnsd"] = Daemon(Path.Combine(Peers.State, "rbldnsd/rbldnsd.pid")),
        ["Postfix"] = Postfix(),
    };

    /// <summary>What each peer spent between two snapshots, the busiest first; peers under 0.05 s left out.</summary>
    public static IReadOnlyList<(string Peer, double Seconds)> Between(IReadOnlyDictionary<string, double> before, IReadOnlyDictionary<string, double> after) =>
        [.. after.Select(p => (p.Key, p.Value - before.GetValueOrDefault(p.Key))).Where(p => p.Item2 >= 0.05).OrderByDescending(p => p.Item2)];

    public static string Describe(IReadOnlyList<(string Peer, double Seconds)> spent) =>
        spent.Count == 0 ? "none" : string.Join(", ", spent.Select(p => string.Create(CultureInfo.InvariantCulture, $"{p.Peer} {p.Seconds:0.00} s")));

    private static double Daemon(string pidFile) =>
        PidIn(pidFile) is { } pid ? ProcStat.CpuSeconds(pid, withReapedChildren: true) : 0;

    private static int? PidIn(string pidFile) =>
        File.Exists(pidFile) && int.TryParse(File.ReadAllText(pidFile).Trim(), out var pid) ? pid : null;

    /// <summary>
    /// Postfix's master and every process under it: smtpd processes come and go (each serves 100
    /// connections), and a reaped one's time is in its parent's children's time.
    /// </summary>
    private static double Postfix()
    {
        if (PidIn($"/var/lib/mailhealth-peers/{Peers.Net}/postfix/queue/pid/master.pid") is not { } master)
        {
            return 0;
        }

        var seconds = ProcStat.CpuSeconds(master, withReapedChildren: true);
        foreach (var dir in Directory.EnumerateDirectories("/proc"))
        {
            if (int.TryParse(Path.GetFileName(dir), out var pid) && pid != master && ProcStat.Fields(pid) is { } stat && stat[1] == master.ToString(CultureInfo.InvariantCulture))
            {
                seconds += ProcStat.CpuSeconds(pid, withReapedChildren: true);
            }
        }

        return seconds;
    }
}
