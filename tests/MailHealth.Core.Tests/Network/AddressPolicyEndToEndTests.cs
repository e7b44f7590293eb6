using System.Net;
using System.Net.Sockets;
using MailHealth.Checks;
using MailHealth.Dns;
using MailHealth.MtaSts;
using MailHealth.Mx;
using MailHealth.Network;
using MailHealth.Smtp;
using MailHealth.Targets;
using MailHealth.Testing;
using MailHealth.Testing.Dns;
using MailHealth.Testing.Servers;

namespace MailHealth.Core.Tests.Network;

/// <summary>
/// The address policy at the checks' connect points, with loopback NOT allowed: a domain whose
/// MX, a target whose host, or a policy host that resolves to loopback gets its finding, and a
/// listening peer there sees no connection. Each test then allows loopback and shows the same
/// peer does see the probe, so "no connection" is not a listener that could not have counted one.
/// </summary>
public sealed class AddressPolicyEndToEndTests
{
    /// <summary>The peers' options without any allowed network: the default of a deployment.</summary>
    private static CheckOptions LoopbackRefused() => new()
    {
        ExtraTrustRoots = Peers.TestRoots(),
        ConnectTimeout = TimeSpan.FromSeconds(3),
        GreetingTimeout = TimeSpan.FromSeconds(5),
        MtaStsPolicyTimeout = TimeSpan.FromSeconds(10),
        HeloName = "probe.mailhealth.test",
    };

    /// <summary>A peer that accepts and hangs up at once: a probe of it ends quickly, and only after it was counted.</summary>
    private static SocketServer HangingUpPeer(IPAddress? address = null, int port = 0) => new((_, _) => Task.CompletedTask, address, port);

    private static async Task<(CheckResult Mx, CheckResult Smtp)> MxAndSmtpAsync(Target target, CheckOptions options, DnsResolver dns)
    {
        var context = Peers.Context(target, options, dns: dns);
        var mx = Assert.Single(await new MxCheck().RunAsync(context, CancellationToken.None));
        var smtp = Assert.Single(await new SmtpCheck().RunAsync(context, CancellationToken.None));
        return (mx, smtp);
    }

    [Fact]
    public async Task Check_MxOnLoopbackNotAllowed_MxPrivateAddressAndNoConnection()
    {
        await using var peer = HangingUpPeer();
        var zone = new ScriptedZone()
            .Set("loopmx.example", ScriptedRecord.Mx(10, "mx.loopmx.example"))
            .Set("mx.loopmx.example", ScriptedRecord.A(peer.Address.ToString()));
        await using var dns = ScriptedDnsServer.Start(zone);
        var target = Peers.Target("loopmx.example", t => t with { Ports = [new PortSpec(peer.Port, SmtpRole.Smtp)] });

        var (mx, smtp) = await MxAndSmtpAsync(target, LoopbackRefused(), dns.Resolver(TimeSpan.FromSeconds(2)));

        var finding = Assert.Single(mx.Findings);
        Assert.Equal((MxFindingCodes.PrivateAddress, Severity.Critical, "mx.loopmx.example"), (finding.Code, finding.Severity, finding.Subject));
        Assert.Contains("127.0.0.1 (loopback, 127.0.0.0/8, RFC 1122 section 3.2.1.3)", finding.Message, StringComparison.Ordinal);
        // We refused to look: the SMTP check says so and does not repeat the domain's fault per port.
        Assert.Equal(CheckStatus.Error, smtp.Status);
        Assert.Empty(smtp.Findings);
        Assert.StartsWith("not probed: mx.loopmx.example resolves only to addresses the monitor does not connect to", smtp.Error, StringComparison.Ordinal);
        Assert.Contains(MxFindingCodes.PrivateAddress, smtp.Error, StringComparison.Ordinal);

        var (allowedMx, allowedSmtp) = await MxAndSmtpAsync(target, Peers.Options(), dns.Resolver(TimeSpan.FromSeconds(2)));
        Assert.Empty(allowedMx.Findings);
        Assert.Contains($"{peer.Address}: connected", (IEnumerable<string>)allowedSmtp.Evidence["connectAttempts"]!);
        Assert.Equal(1, peer.Accepted);
    }

    [Fact]
    public async Task Check_TargetHostOnLoopbackNotAllowed_SmtpAddressNotAllowedAndNoConnection()
    {
        await using var peer = HangingUpPeer();
        var target = Peers.Target("named.example", t => t with { Hosts = [peer.Address.ToString()], Ports = [new PortSpec(peer.Port, SmtpRole.Smtp)] });

        var (_, smtp) = await MxAndSmtpAsync(target, LoopbackRefused(), Peers.Resolver());

        var finding = Assert.Single(smtp.Findings);
        Assert.Equal((SmtpFindingCodes.AddressNotAllowed, Severity.Warning), (finding.Code, finding.Severity));
        Assert.Equal($"127.0.0.1, a host of the target, is not probed: 127.0.0.1 (loopback, 127.0.0.0/8, RFC 1122 section 3.2.1.3): refused unless MailHealth:Checks:AllowedNetworks names it", finding.Message);
        Assert.Equal(CheckStatus.Error, smtp.Status);
        Assert.NotNull(smtp.Evidence["addressPolicy"]);

        var (_, allowed) = await MxAndSmtpAsync(target, Peers.Options(), Peers.Resolver());
        Assert.Contains($"{peer.Address}: connected", (IEnumerable<string>)allowed.Evidence["connectAttempts"]!);
        Assert.Equal(1, peer.Accepted);
    }

    [Fact]
    public async Task Check_MtaStsPolicyHostOnLoopbackNotAllowed_FindingAndNoConnection()
    {
        // refused.transport.test: mta-sts.refused.transport.test is $MH_NET.49.3 (eng/peers/zones/transport.test.zone.in).
        await using var peer = HangingUpPeer(Peers.Address(49, 3), 443);
        var services = CheckServices.Default with { ProbeSmtp = (_, _) => Task.FromResult<IReadOnlyList<SmtpProbeOutcome>>([]) };
        async Task<CheckResult> CheckAsync(CheckOptions options) => Assert.Single(await new MtaStsCheck().RunAsync(
            new CheckContext(Peers.Target("refused.transport.test"), Peers.Resolver(), options, TimeProvider.System, services, CancellationToken.None),
            CancellationToken.None));

        var refused = await CheckAsync(LoopbackRefused());

        var finding = Assert.Single(refused.Findings);
        Assert.Equal((MtaStsFindingCodes.PolicyPrivateAddress, Severity.Critical, "mta-sts.refused.transport.test:443"), (finding.Code, finding.Severity, finding.Subject));
        Assert.Contains($"{Peers.Address(49, 3)} (loopback, 127.0.0.0/8", finding.Message, StringComparison.Ordinal);
        Assert.Contains("senders cannot fetch the policy", finding.Message, StringComparison.Ordinal);
        Assert.Contains("resolves only to addresses the monitor does not connect to", (string)refused.Evidence["fetch"]!, StringComparison.Ordinal);

        var allowed = await CheckAsync(Peers.Options());
        Assert.Equal(MtaStsFindingCodes.PolicyUnreachable, Assert.Single(allowed.Findings).Code);
        Assert.Equal(1, peer.Accepted);
    }

    [Fact]
    public async Task Check_MtaStsPolicyHostOnAPrivateAddress_Critical()
    {
        // mta-sts.private.transport.test is 10.0.0.5: refused before any socket, whatever runs there.
        var services = CheckServices.Default with { ProbeSmtp = (_, _) => Task.FromResult<IReadOnlyList<SmtpProbeOutcome>>([]) };
        var context = new CheckContext(Peers.Target("private.transport.test"), Peers.Resolver(), Peers.Options(), TimeProvider.System, services, CancellationToken.None);

        var result = Assert.Single(await new MtaStsCheck().RunAsync(context, CancellationToken.None));

        var finding = Assert.Single(result.Findings);
        Assert.Equal((MtaStsFindingCodes.PolicyPrivateAddress, Severity.Critical), (finding.Code, finding.Severity));
        Assert.Contains("10.0.0.5 (private-use, 10.0.0.0/8, RFC 1918)", finding.Message, StringComparison.Ordinal);
        Assert.Equal(CheckStatus.Fail, result.Status);
    }

    [Fact]
    public async Task Probe_TargetHostOnTheMetadataAddress_RefusedBeforeAnySocket()
    {
        // Everything is allowed, and the run is over before it starts: were the policy to let the
        // address through, the cancelled token would stop the connect before a packet went out.
        var options = Peers.Options(o => new CheckOptions { ExtraTrustRoots = o.ExtraTrustRoots, AllowedNetworks = ["0.0.0.0/0"] });
        var target = Peers.Target("metadata.example", t => t with { Hosts = ["169.254.169.254"], Ports = [PortSpec.Defaults[0]] });
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        var outcome = Assert.Single(await SmtpProbeRunner.ProbeAllAsync(Peers.Context(target, options), cancelled.Token));

        var finding = Assert.Single(outcome.Result.Findings);
        Assert.Equal(SmtpFindingCodes.AddressNotAllowed, finding.Code);
        Assert.EndsWith("169.254.169.254 (cloud instance metadata (Azure, AWS, Google Cloud), 169.254.169.254/32, the clouds' metadata service documentation): never connected to, whatever the settings say", finding.Message, StringComparison.Ordinal);
        Assert.Null(outcome.Address);
    }

    [Fact]
    public async Task Probe_ConversationGivenANeverAddress_RefusesAtTheConnect()
    {
        // The probe itself (not only the runner that judges hosts first) goes through the guard.
        var options = Peers.Options(o => new CheckOptions { ExtraTrustRoots = o.ExtraTrustRoots, AllowedNetworks = ["0.0.0.0/0"] });
        var host = new MailHost("platform.example", 10, [IPAddress.Parse("168.63.129.16")]);
        using var cancelled = new CancellationTokenSource();
        await cancelled.CancelAsync();

        var outcome = await SmtpProbe.ProbeAsync(Peers.Context(Peers.Target("platform.example"), options), host, PortSpec.Defaults[0], cancelled.Token);

        Assert.Equal(CheckStatus.Error, outcome.Result.Status);
        Assert.StartsWith("not probed: the address policy refuses every address (168.63.129.16 (Azure platform address", outcome.Result.Error, StringComparison.Ordinal);
        Assert.Contains("never connected to, whatever the settings say", outcome.Result.Error, StringComparison.Ordinal);
    }
}
