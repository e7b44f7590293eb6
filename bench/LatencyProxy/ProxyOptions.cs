using System.Globalization;
using System.Net;

namespace MailHealth.Bench;

/// <summary>The command line: repeatable <c>--name value</c> pairs.</summary>
internal sealed class ProxyOptions(IReadOnlyList<(string Name, string Value)> pairs)
{
    public static ProxyOptions Parse(IReadOnlyList<string> args)
    {
        var pairs = new List<(string, string)>();
        for (var i = 0; i + 1 < args.Count; i += 2)
        {
            if (!args[i].StartsWith("--", StringComparison.Ordinal))
            {
                throw new ArgumentException($"expected an option, got '{args[i]}'");
            }

            pairs.Add((args[i], args[i + 1]));
        }

        return new ProxyOptions(pairs);
    }

    public string? Value(string name) => pairs.LastOrDefault(p => p.Name == name).Value;

    public IEnumerable<string> Values(string name) => pairs.Where(p => p.Name == name).Select(p => p.Value);

    /// <summary>The routes of <c>--NAME LISTEN=UPSTREAM</c>.</summary>
    public IEnumerable<(IPEndPoint Listen, IPEndPoint Upstream)> Routes(string name) =>
        Values(name).Select(v => v.Split('=')).Select(p => (IPEndPoint.Parse(p[0]), IPEndPoint.Parse(p[1])));

    public TimeSpan Delay => TimeSpan.FromMilliseconds(double.Parse(Value("--delay") ?? "0", CultureInfo.InvariantCulture));
}
