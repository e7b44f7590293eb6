using MailHealth.Checks;
using MailHealth.Dmarc;
using MailHealth.Dns;
using MailHealth.Testing;

namespace MailHealth.Core.Tests.Dmarc;

/// <summary>
/// Issue 10, defect 1: asked directly, an authoritative-only server refuses the tree walk's names
/// above its zones (here Knot and _dmarc.authonly, eng/peers/zones/corp.authonly.zone.in). That
/// makes only the organizational domain and a PSD policy uncertain: the domain's own record is
/// judged as through the recursive resolver, and an info finding names the refused query.
/// </summary>
public sealed class DmarcAuthoritativeOnlyTests
{
    private static async Task<CheckResult> RunAsync(string domain, DnsResolver dns) =>
        Assert.Single(await new DmarcCheck().RunAsync(Peers.Context(Peers.Target(domain), dns: dns), CancellationToken.None));

    private static List<string> Verdict(CheckResult result) =>
        [.. result.Findings.Select(f => f.Code).Where(c => c != DnsFindingCodes.LookupIncomplete).Order(StringComparer.Ordinal)];

    [Fact]
    public async Task Knot_RefusesTheNameAboveItsZones()
    {
        // The premise of the tests below: without it they would prove nothing.
        var direct = await Peers.Resolver().GetTxtAsync("_dmarc.authonly");
        var recursive = await RecursivePeer.Resolver().GetTxtAsync("_dmarc.authonly");

        Assert.Equal(DnsOutcome.Failure, direct.Outcome);
        Assert.Equal(DnsOutcome.NxDomain, recursive.Outcome);
    }

    [Theory]
    [InlineData("good.corp.authonly", CheckStatus.Pass, new string[0])]
    [InlineData("none.corp.authonly", CheckStatus.Warn, new[] { DmarcFindingCodes.PolicyNone })]
    [InlineData("badp.corp.authonly", CheckStatus.Fail, new[] { DmarcFindingCodes.PolicyNone, DmarcFindingCodes.SyntaxError })]
    [InlineData("multi.corp.authonly", CheckStatus.Fail, new[] { DmarcFindingCodes.Missing, DmarcFindingCodes.MultipleRecords })]
    [InlineData("ext.corp.authonly", CheckStatus.Warn, new[] { DmarcFindingCodes.ReportDestinationUnauthorized })]
    [InlineData("missing.corp.authonly", CheckStatus.Warn, new[] { DmarcFindingCodes.Missing })]
    public async Task Run_AuthoritativeOnlyServer_JudgesTheOwnRecordAsTheRecursiveResolverDoes(string domain, CheckStatus status, string[] codes)
    {
        var recursive = await RunAsync(domain, RecursivePeer.Resolver());
        var direct = await RunAsync(domain, Peers.Resolver());

        Assert.Equal(status, recursive.Status);
        Assert.Equal(status, direct.Status);
        Assert.Equal(codes, Verdict(recursive));
        Assert.Equal(codes, Verdict(direct));
        Assert.DoesNotContain(recursive.Findings, f => f.Code == DnsFindingCodes.LookupIncomplete);
        var uncertain = Assert.Single(direct.Findings, f => f.Code == DnsFindingCodes.LookupIncomplete);
        Assert.Equal(Severity.Info, uncertain.Severity);
        Assert.Contains("TXT _dmarc.authonly", uncertain.Message, StringComparison.Ordinal);
        Assert.Null(direct.Error);
    }

    [Fact]
    public async Task Run_RefusedNameAboveTheDomain_IsStillInTheWalkEvidence()
    {
        var direct = await RunAsync("good.corp.authonly", Peers.Resolver());

        var names = Assert.IsAssignableFrom<IEnumerable<object>>(direct.Evidence["queries"])
            .Select(q => (string)Assert.IsAssignableFrom<IReadOnlyDictionary<string, object?>>(q)["name"]!);
        Assert.Equal(["_dmarc.good.corp.authonly", "_dmarc.corp.authonly", "_dmarc.authonly"], names);
        Assert.Equal("reject", Assert.IsAssignableFrom<IReadOnlyDictionary<string, object?>>(
            Assert.IsAssignableFrom<IReadOnlyDictionary<string, object?>>(direct.Evidence["policy"])["domain"])["policy"]);
    }

    [Fact]
    public async Task Run_ReportAuthorizationRefused_IsUncertainNotError()
    {
        // reports.authonly is outside Knot's zones: whether it accepts the reports is unknown.
        var direct = await RunAsync("away.corp.authonly", Peers.Resolver());

        Assert.Equal(CheckStatus.Pass, direct.Status);
        Assert.DoesNotContain(direct.Findings, f => f.Code == DmarcFindingCodes.ReportDestinationUnauthorized);
        Assert.Contains(direct.Findings, f => f.Code == DnsFindingCodes.LookupIncomplete && f.Subject == "reports.authonly"
            && f.Message.Contains("away.corp.authonly._report._dmarc.reports.authonly", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Run_OwnNameRefused_IsStillError()
    {
        // The domain's own record is what the verdict rests on: without it there is none.
        var result = await RunAsync("nothere.authonly", Peers.Resolver());

        Assert.Equal(CheckStatus.Error, result.Status);
        Assert.Contains(result.Findings, f => f.Code == DnsFindingCodes.ServFail);
    }
}
