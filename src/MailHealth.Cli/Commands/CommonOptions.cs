using System.CommandLine;
using System.Net;
using MailHealth.Dns;
using MailHealth.Network;

namespace MailHealth.Cli.Commands;

/// <summary>Options more than one command takes, parsed the same way everywhere.</summary>
public static class CommonOptions
{
    public static Option<string[]> Dns() => new("--dns")
    {
        Description = "DNS server to ask, IP or IP:PORT ([IPv6]:PORT); repeatable. Default: the system's resolvers.",
        HelpName = "IP[:PORT]",
        Arity = ArgumentArity.ZeroOrMore,
        AllowMultipleArgumentsPerToken = false,
    };

    public static Option<bool> Json() => new("--json") { Description = "Print JSON instead of the readable report." };

    /// <summary><c>--config FILE</c>: the monitor's settings file, as <c>serve</c> reads it.</summary>
    public static Option<string?> Config() => new("--config")
    {
        Description = "JSON file with \"targets\" (as check --targets) and settings (\"MailHealth\": {...}, \"MAILHEALTH_SCHEDULE\"); environment variables (MailHealth__Section__Setting) override it.",
        HelpName = "FILE",
    };

    /// <summary><c>--no-naming</c>: store reports without naming their sources (<c>reports import</c>, <c>reports poll</c>).</summary>
    public static Option<bool> NoNaming() => new("--no-naming")
    {
        Description = "Do not name the reports' sources (PTR, SPF term) after each commit, as when DNS cannot be reached: each naming would wait MailHealth:SenderNaming:Deadline. The next run of the domain's target names them.",
    };

    /// <summary>An address typed on the command line, strictly (<see cref="IpAddressText"/>).</summary>
    public static IPAddress ParseIp(string text, string option) =>
        IpAddressText.TryParse(text, out var address) ? address : throw new UsageException($"{option} '{text}' is not an IP address");

    /// <summary>Each <c>--dns</c> value, strictly: "10" is not the address 0.0.0.10.</summary>
    public static IReadOnlyList<IPEndPoint> ParseDnsServers(IEnumerable<string>? values)
    {
        var servers = new List<IPEndPoint>();
        foreach (var value in values ?? [])
        {
            if (!IpAddressText.TryParseEndpoint(value, 53, out var endpoint))
            {
                throw new UsageException($"--dns '{value}' is not an IP address or IP:PORT");
            }

            servers.Add(endpoint);
        }

        return servers;
    }
}
