using System.CommandLine;
using System.Diagnostics.CodeAnalysis;
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

    /// <summary>
    /// An IPv4 address in dotted-quad form or an IPv6 address, without a zone: strict, because
    /// IPAddress.TryParse takes "1.2.3" as 1.2.0.3 and "10" as 0.0.0.10.
    /// </summary>
    public static IPAddress ParseIp(string text, string option) =>
        TryParseIp(text, out var address) ? address : throw new UsageException($"{option} '{text}' is not an IP address");

    public static bool TryParseIp(string text, [NotNullWhen(true)] out IPAddress? address)
    {
        address = null;
        var trimmed = text.Trim();
        var strict = trimmed.Contains(':', StringComparison.Ordinal)
            ? !trimmed.Contains('%', StringComparison.Ordinal)
            : trimmed.Split('.') is { Length: 4 } parts && parts.All(p => p.Length is > 0 and <= 3 && p.All(char.IsAsciiDigit));
        return strict && IPAddress.TryParse(trimmed, out address);
    }

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
