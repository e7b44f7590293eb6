using System.CommandLine;
using System.Net;
using MailHealth.Dns;

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

    public static IReadOnlyList<IPEndPoint> ParseDnsServers(IEnumerable<string>? values)
    {
        var servers = new List<IPEndPoint>();
        foreach (var value in values ?? [])
        {
            if (!DnsResolverOptions.TryParseServer(value, out var endpoint) || endpoint is null)
            {
                throw new UsageException($"--dns '{value}' is not an IP address or IP:PORT");
            }

            servers.Add(endpoint);
        }

        return servers;
    }
}
