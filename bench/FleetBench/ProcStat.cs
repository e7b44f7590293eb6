using System.Globalization;

namespace MailHealth.Bench;

/// <summary>A process's CPU time from /proc/PID/stat (Linux; clock ticks of 1/100 s).</summary>
internal static class ProcStat
{
    /// <summary>The fields after the command name (state first, then the parent's pid); null once the process is gone.</summary>
    public static string[]? Fields(int pid)
    {
        try
        {
            var text = File.ReadAllText($"/proc/{pid}/stat");
            return text[(text.LastIndexOf(')') + 2)..].Split(' ');
        }
        catch (IOException)
        {
            return null;
        }
    }

    /// <summary>
    /// utime + stime in seconds, with the time of the children it has reaped (cutime + cstime)
    /// when <paramref name="withReapedChildren"/>; 0 once the process is gone.
    /// </summary>
    public static double CpuSeconds(int pid, bool withReapedChildren = false) =>
        Fields(pid) is { } fields
            ? fields[11..(withReapedChildren ? 15 : 13)].Sum(f => long.Parse(f, CultureInfo.InvariantCulture)) / 100.0
            : 0;

    /// <summary>CPU seconds every core of the machine has been busy since boot (all of /proc/stat's first line but idle and iowait).</summary>
    public static double MachineBusySeconds()
    {
        var fields = File.ReadLines("/proc/stat").First().Split(' ', StringSplitOptions.RemoveEmptyEntries)[1..].Select(f => long.Parse(f, CultureInfo.InvariantCulture)).ToArray();
        // user nice system idle iowait irq softirq steal (guest time is already in user).
        return (fields[..8].Sum() - fields[3] - fields[4]) / 100.0;
    }
}
