using System.Net;
using MailHealth.Checks;
using MailHealth.Smtp;
using MailHealth.Targets;
using MailHealth.Testing;
using MailHealth.Testing.Servers;

namespace MailHealth.Core.Tests.Smtp;

/// <summary>The Postfix hosts of the smtp.test zone (eng/peers/start.d/30-postfix.sh) and helpers to probe them.</summary>
internal static class SmtpPeers
{
    public static readonly PortSpec Port25 = new(25, SmtpRole.Smtp);
    public static readonly PortSpec Port587 = new(587, SmtpRole.Submission);
    public static readonly PortSpec Port465 = new(465, SmtpRole.Submissions);

    public static IEnumerable<PortSpec> AllPorts => [Port25, Port587, Port465];

    /// <summary>The last octet of each configuration's address ($MH_NET.10.N).</summary>
    public static readonly IReadOnlyDictionary<string, int> Hosts = new Dictionary<string, int>
    {
        ["good"] = 1,
        ["notls"] = 2,
        ["authplain"] = 3,
        ["expired"] = 4,
        ["expiring3"] = 5,
        ["expiring15"] = 6,
        ["wrongname"] = 7,
        ["selfsigned"] = 8,
        ["openrelay"] = 9,
        ["noauth"] = 10,
        ["ehlorejected"] = 11,
    };

    public static MailHost Host(string configuration) =>
        new($"mx.{configuration}.smtp.test", 10, [Peers.Address(10, Hosts[configuration])]);

    public static PortSpec Port(int port) => port switch
    {
        25 => Port25,
        587 => Port587,
        _ => Port465,
    };

    public static Task<SmtpProbeOutcome> ProbeAsync(
        string configuration, PortSpec port, Func<Target, Target>? target = null, Func<CheckOptions, CheckOptions>? options = null) =>
        ProbeAsync(Host(configuration), port, $"{configuration}.smtp.test", target, options);

    public static Task<SmtpProbeOutcome> ProbeAsync(
        MailHost host, PortSpec port, string domain, Func<Target, Target>? target = null, Func<CheckOptions, CheckOptions>? options = null,
        CancellationToken cancellationToken = default) =>
        SmtpProbe.ProbeAsync(Peers.Context(Peers.Target(domain, target), Peers.Options(options)), host, port, cancellationToken);

    /// <summary>Probes a hostile server on 127.0.0.1 in the given role.</summary>
    public static Task<SmtpProbeOutcome> ProbeAsync(
        SocketServer server, SmtpRole role, Func<CheckOptions, CheckOptions>? options = null, CancellationToken cancellationToken = default) =>
        ProbeAsync(new MailHost("hostile.smtp.test", null, [server.Address]), new PortSpec(server.Port, role), "hostile.smtp.test",
            null, options, cancellationToken);

    /// <summary>The SASL test user of the Postfix peer, from $MH_STATE/postfix/credentials.</summary>
    public static SmtpCredentials Credentials()
    {
        var lines = File.ReadAllLines(Path.Combine(Peers.State, "postfix", "credentials"))
            .Select(l => l.Split('=', 2))
            .Where(p => p.Length == 2)
            .ToDictionary(p => p[0], p => p[1]);
        return new SmtpCredentials(lines["user"], lines["password"]);
    }

    public static IReadOnlyList<string> Codes(SmtpProbeOutcome outcome) => [.. outcome.Result.Findings.Select(f => f.Code)];

    public static IReadOnlyList<(string Code, Severity Severity)> Problems(SmtpProbeOutcome outcome) =>
        [.. outcome.Result.Findings.Where(f => f.Severity > Severity.Info).Select(f => (f.Code, f.Severity))];

    public static IPAddress Address(string configuration) => Peers.Address(10, Hosts[configuration]);
}
