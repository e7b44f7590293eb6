using System.Net;
using MailHealth.Checks;
using MailHealth.ReverseDns;
using MailHealth.Targets;
using MailHealth.Testing;
using MailHealth.Testing.Servers;

namespace MailHealth.Core.Tests.ReverseDns;

/// <summary>
/// The greeting comparison fed by a real SMTP probe: the reverse-DNS check reads the greeting
/// name the probe heard, on an address whose PTR (Knot) names another host.
/// </summary>
public sealed class ReverseDnsEndToEndTests
{
    private static async Task<IReadOnlyList<CheckResult>> RunAsync(string greetingName)
    {
        // good.rep.test: MX mx1.rep.test, A @NET@.50.1, PTR back to mx1.rep.test.
        var address = Peers.Address(50, 1);
        await using var server = new SocketServer(
            (socket, stop) => HostileSmtpServers.ConverseAsync(socket, $"220 {greetingName} ESMTP", [$"250 {greetingName}"], stop),
            address,
            25);
        var target = Peers.Target("good.rep.test", t => t with { Ports = [new PortSpec(25, SmtpRole.Smtp)] });
        var context = Peers.Context(target);

        return await new ReverseDnsCheck().RunAsync(context, CancellationToken.None);
    }

    [Fact]
    public async Task Run_GreetingNamesAnotherHost_InfoMismatchOnThatPort()
    {
        var result = Assert.Single(await RunAsync("relay.elsewhere.test"));

        var finding = Assert.Single(result.Findings);
        Assert.Equal(ReverseDnsFindingCodes.SmtpGreetingHostnameMismatch, finding.Code);
        Assert.Equal(Severity.Info, finding.Severity);
        Assert.Equal("mx1.rep.test:25", finding.Subject);
        Assert.Contains("relay.elsewhere.test", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_GreetingIsThePtrName_NoFinding()
    {
        var result = Assert.Single(await RunAsync("mx1.rep.test"));

        Assert.Empty(result.Findings);
        Assert.Equal(CheckStatus.Pass, result.Status);
        Assert.Equal(IPAddress.Parse(result.Subject), Peers.Address(50, 1));
    }
}
