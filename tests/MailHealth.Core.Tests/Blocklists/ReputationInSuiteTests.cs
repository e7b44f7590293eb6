using MailHealth.Blocklists;
using MailHealth.Checks;
using MailHealth.ReverseDns;
using MailHealth.Testing;

namespace MailHealth.Core.Tests.Blocklists;

/// <summary>The ptr and dnsbl checks run as part of the whole suite, through the one test resolver.</summary>
public sealed class ReputationInSuiteTests
{
    [Fact]
    public async Task DomainChecker_ListedDomainAndHost_ReportsPtrAndDnsblChecks()
    {
        // spammy.rep.test: MX listed.rep.test at $MH_NET.50.10 (PTR listed.rep.test), listed in
        // bl.rep.test; the domain itself is listed in dbl.rep.test. Test zones only, never the defaults.
        var target = Peers.Target("spammy.rep.test", t => t with { DnsblZones = ["bl.rep.test", "dbl.rep.test"] });
        var listed = Peers.Address(50, 10).ToString();

        var report = await Peers.Checker(RecursivePeer.Resolver()).RunAsync(target, CancellationToken.None);

        var ptr = Assert.Single(report.Checks, c => c.Id == $"ptr:{listed}");
        Assert.Equal(ReverseDnsCheck.KindName, ptr.Kind);
        Assert.DoesNotContain(ptr.Findings, f => f.Code is ReverseDnsFindingCodes.PtrMissing or ReverseDnsFindingCodes.PtrNotForwardConfirmed);
        Assert.Contains(report.Checks.Single(c => c.Id == $"dnsbl:{listed}").Findings, f => f.Code == BlocklistFindingCodes.Listed);
        Assert.Contains(report.Checks.Single(c => c.Id == "dnsbl:spammy.rep.test").Findings, f => f.Code == BlocklistFindingCodes.Listed);
        Assert.True(report.HasCritical);

        // Report order: the suite's order of kinds (mx, smtp, ptr, dnsbl).
        var kinds = report.Checks.Select(c => c.Kind).Distinct().ToList();
        Assert.True(kinds.IndexOf("ptr") < kinds.IndexOf("dnsbl"));
    }
}
