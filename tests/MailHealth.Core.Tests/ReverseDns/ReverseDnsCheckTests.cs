using System.Net;
using MailHealth.Checks;
using MailHealth.Dns;
using MailHealth.ReverseDns;
using MailHealth.Smtp;
using MailHealth.Testing;
using MailHealth.Testing.Dns;

namespace MailHealth.Core.Tests.ReverseDns;

/// <summary>
/// The ptr checks against the reverse zone of $MH_NET and rep.test that Knot serves
/// (eng/peers/zones/in-addr.zone.in, rep.test.zone.in).
/// </summary>
public sealed class ReverseDnsCheckTests
{
    private static IPAddress Rep(int d) => Peers.Address(50, d);

    private static Task<IReadOnlyList<CheckResult>> RunAsync(
        string domain, IReadOnlyList<IPAddress>? ips = null, IReadOnlyList<string>? hosts = null, DnsResolver? dns = null,
        IReadOnlyList<SmtpProbeOutcome>? probes = null)
    {
        var target = Peers.Target(domain, t => t with { SendingIps = ips ?? [], Hosts = hosts ?? [] });
        var services = probes is null
            ? CheckServices.Default
            : CheckServices.Default with { ProbeSmtp = (_, _) => Task.FromResult(probes) };
        var context = new CheckContext(target, dns ?? RecursivePeer.Resolver(), Peers.Options(), TimeProvider.System, services, CancellationToken.None);
        return new ReverseDnsCheck().RunAsync(context, CancellationToken.None);
    }

    private static CheckResult Check(IReadOnlyList<CheckResult> results, IPAddress address) =>
        Assert.Single(results, r => r.Id == $"ptr:{address}");

    private static IEnumerable<string> Codes(CheckResult result) => result.Findings.Select(f => f.Code);

    [Fact]
    public async Task Run_ForwardConfirmedPtr_Passes()
    {
        var check = Check(await RunAsync("good.rep.test", [Rep(1)]), Rep(1));

        Assert.Equal("ptr", check.Kind);
        Assert.Equal(Rep(1).ToString(), check.Subject);
        Assert.Equal(CheckStatus.Pass, check.Status);
        Assert.Empty(check.Findings);
        Assert.Equal(["mx1.rep.test"], (IEnumerable<string>)check.Evidence["ptr"]!);
        Assert.Equal("mx1.rep.test", check.Evidence["forwardConfirmed"]);
    }

    [Fact]
    public async Task Run_ForwardConfirmation_AsksOnlyTheAddresssFamily()
    {
        var zone = new ScriptedZone()
            .Add("10.2.0.192.in-addr.arpa", ScriptedRecord.Ptr("out.example.test"))
            .Add("out.example.test", ScriptedRecord.A("192.0.2.10"))
            .Add("out.example.test", ScriptedRecord.Aaaa("2001:db8::10"));
        await using var server = ScriptedDnsServer.Start(zone);
        var address = IPAddress.Parse("192.0.2.10");

        var check = Check(await RunAsync("example.test", [address], hosts: ["192.0.2.10"], dns: server.Resolver(TimeSpan.FromSeconds(5))), address);

        Assert.Equal("out.example.test", check.Evidence["forwardConfirmed"]);
        Assert.Equal(1, server.QueriesFor("out.example.test", ScriptedRecord.TypeA));
        Assert.Equal(0, server.QueriesFor("out.example.test", ScriptedRecord.TypeAaaa));
    }

    [Fact]
    public async Task Run_NoPtr_WarnsPtrMissing()
    {
        var check = Check(await RunAsync("good.rep.test", [Rep(2)]), Rep(2));

        var finding = Assert.Single(check.Findings);
        Assert.Equal(ReverseDnsFindingCodes.PtrMissing, finding.Code);
        Assert.Equal(Severity.Warning, finding.Severity);
        Assert.Equal(CheckStatus.Warn, check.Status);
    }

    [Theory]
    [InlineData(3)] // the PTR name resolves to another address
    [InlineData(4)] // the PTR name does not exist
    public async Task Run_PtrNotResolvingBack_WarnsNotForwardConfirmed(int host)
    {
        var check = Check(await RunAsync("good.rep.test", [Rep(host)]), Rep(host));

        Assert.Equal([ReverseDnsFindingCodes.PtrNotForwardConfirmed], Codes(check));
        Assert.Equal(Severity.Warning, check.Findings[0].Severity);
        Assert.DoesNotContain(ReverseDnsFindingCodes.PtrMissing, Codes(check));
    }

    [Fact]
    public async Task Run_TwoPtrsOneConfirmed_Passes()
    {
        var check = Check(await RunAsync("good.rep.test", [Rep(5)]), Rep(5));

        Assert.Empty(check.Findings);
        Assert.Equal("mx5.rep.test", check.Evidence["forwardConfirmed"]);
    }

    [Fact]
    public async Task Run_NoSendingIps_ChecksTheMailHostsAddresses()
    {
        // noptr.rep.test: MX mx2.noptr.rep.test at Rep(2), which has no PTR.
        var results = await RunAsync("noptr.rep.test");

        Assert.Equal([ReverseDnsFindingCodes.PtrMissing], Codes(Check(results, Rep(2))));
    }

    [Fact]
    public async Task Run_SendingIpsAndMailHosts_EachAddressOnce()
    {
        var results = await RunAsync("unconfirmed.rep.test", [Rep(1), Rep(3)]);

        Assert.Equal([$"ptr:{Rep(1)}", $"ptr:{Rep(3)}"], results.Select(r => r.Id).Order());
        Assert.Equal([ReverseDnsFindingCodes.PtrNotForwardConfirmed], Codes(Check(results, Rep(3))));
    }

    [Fact]
    public async Task Run_ResolverSilent_IsErrorWithDnsTimeoutNotAPtrFinding()
    {
        await using var silent = ScriptedDnsServer.Start(DnsFault.Drop, Rep(201));
        var dns = silent.Resolver(TimeSpan.FromSeconds(1));

        var probes = new[] { ProbeOutcomes.Greeting(Rep(1).ToString(), 25, Rep(1), "mail.other.test") };

        var check = Check(await RunAsync("good.rep.test", [Rep(1)], hosts: [Rep(1).ToString()], dns: dns, probes: probes), Rep(1));

        // Without the PTR answer nothing is compared: no PTR_MISSING, no greeting mismatch.
        Assert.Equal([DnsFindingCodes.Timeout], Codes(check));
        Assert.Equal(CheckStatus.Error, check.Status);
        Assert.DoesNotContain(ReverseDnsFindingCodes.PtrMissing, Codes(check));
        Assert.DoesNotContain(ReverseDnsFindingCodes.SmtpGreetingHostnameMismatch, Codes(check));
    }

    [Fact]
    public async Task Run_GreetingDiffersFromPtrAndHost_InfoMismatchPerPort()
    {
        var probes = new[]
        {
            ProbeOutcomes.Greeting("mx1.rep.test", 25, Rep(1), "mail.other.test"),
            ProbeOutcomes.Greeting("mx1.rep.test", 587, Rep(1), "mx1.rep.test"),
        };

        var check = Check(await RunAsync("good.rep.test", probes: probes), Rep(1));

        var finding = Assert.Single(check.Findings);
        Assert.Equal(ReverseDnsFindingCodes.SmtpGreetingHostnameMismatch, finding.Code);
        Assert.Equal("mx1.rep.test:25", finding.Subject);
        Assert.Equal(Severity.Info, finding.Severity);
        Assert.Equal(CheckStatus.Pass, check.Status);
    }

    [Fact]
    public async Task Run_GreetingIsThePtrName_NoMismatch()
    {
        // spammy.rep.test's MX is listed.rep.test at Rep(10), whose PTR is listed.rep.test.
        var probes = new[] { ProbeOutcomes.Greeting("listed.rep.test", 25, Rep(10), "LISTED.rep.test.") };

        var check = Check(await RunAsync("spammy.rep.test", probes: probes), Rep(10));

        Assert.DoesNotContain(ReverseDnsFindingCodes.SmtpGreetingHostnameMismatch, Codes(check));
        Assert.Empty(check.Findings);
    }
}
