using MailHealth.Checks;
using MailHealth.Dmarc;
using MailHealth.Dns;
using MailHealth.Testing;
using MailHealth.Testing.Dns;

namespace MailHealth.Core.Tests.Dmarc;

/// <summary>
/// The dmarc check against the zones Knot serves: eng/peers/zones/auth.test.zone.in (one domain
/// per case), dmarc-org.test (inheritance, psd=n, a deep walk), psd.test (psd=y) and
/// reports.test (external report authorization).
/// </summary>
public sealed class DmarcCheckTests
{
    private static async Task<CheckResult> RunAsync(string domain, DnsResolver? dns = null) =>
        Assert.Single(await new DmarcCheck().RunAsync(Peers.Context(Peers.Target(domain), dns: dns), CancellationToken.None));

    private static List<string> Codes(CheckResult result) => [.. result.Findings.Select(f => f.Code)];

    private static IReadOnlyDictionary<string, object?> Policy(CheckResult result, string which) =>
        Assert.IsAssignableFrom<IReadOnlyDictionary<string, object?>>(
            Assert.IsAssignableFrom<IReadOnlyDictionary<string, object?>>(result.Evidence["policy"])[which]);

    private static List<string> QueriedNames(CheckResult result) =>
        [.. Assert.IsAssignableFrom<IEnumerable<object>>(result.Evidence["queries"])
            .Select(q => (string)Assert.IsAssignableFrom<IReadOnlyDictionary<string, object?>>(q)["name"]!)];

    [Theory]
    [InlineData("reject.auth.test", "reject")]
    [InlineData("quarantine.auth.test", "quarantine")]
    [InlineData("fullset.auth.test", "reject")]
    [InlineData("spaced.auth.test", "reject")]
    [InlineData("unrelated.auth.test", "reject")]
    [InlineData("many.auth.test", "reject")]
    [InlineData("big.auth.test", "quarantine")]
    [InlineData("extok.auth.test", "reject")]
    [InlineData("extwild.auth.test", "reject")]
    public async Task Run_GoodRecord_PassesWithoutFindings(string domain, string policy)
    {
        var result = await RunAsync(domain);

        Assert.Empty(result.Findings);
        Assert.Equal(CheckStatus.Pass, result.Status);
        Assert.Equal("dmarc", result.Id);
        Assert.Equal("dmarc", result.Kind);
        Assert.Equal(domain, result.Subject);
        Assert.Equal(policy, Policy(result, "domain")["policy"]);
        Assert.Equal($"_dmarc.{domain}", result.Evidence["recordAt"]);
        Assert.Equal(false, result.Evidence["inherited"]);
    }

    [Fact]
    public async Task Run_OwnRecord_WalksOnToTheTldForTheOrganizationalDomain()
    {
        var result = await RunAsync("reject.auth.test");

        Assert.Equal(["_dmarc.reject.auth.test", "_dmarc.auth.test", "_dmarc.test"], QueriedNames(result));
        Assert.Equal(3.0, result.Metrics["dnsQueries"]);
        Assert.Equal("reject.auth.test", result.Evidence["organizationalDomain"]);
        Assert.Equal("v=DMARC1; p=reject; rua=mailto:dmarc@reject.auth.test", result.Evidence["record"]);
        var tags = Assert.IsAssignableFrom<IReadOnlyDictionary<string, object?>>(result.Evidence["tags"]);
        Assert.Equal("r", tags["adkim"]);
    }

    [Fact]
    public async Task Run_NoRecordAnywhere_IsMissing()
    {
        var result = await RunAsync("nodmarc.auth.test");

        var finding = Assert.Single(result.Findings);
        Assert.Equal(DmarcFindingCodes.Missing, finding.Code);
        Assert.Equal(Severity.Warning, finding.Severity);
        Assert.Equal(CheckStatus.Warn, result.Status);
        Assert.Equal(3, QueriedNames(result).Count);
    }

    [Fact]
    public async Task Run_CnameLoopAtDmarcName_IsMissingAndEnds()
    {
        Assert.Equal([DmarcFindingCodes.Missing], Codes(await RunAsync("cnameloop.auth.test")));
    }

    [Fact]
    public async Task Run_TwoRecords_AreBothDiscarded()
    {
        var result = await RunAsync("multi.auth.test");

        Assert.Contains(DmarcFindingCodes.MultipleRecords, Codes(result));
        Assert.Contains(DmarcFindingCodes.Missing, Codes(result));
        Assert.Equal(CheckStatus.Fail, result.Status);
    }

    [Fact]
    public async Task Run_TwoRecordsUnderAnOrganizationalDomain_InheritsFromIt()
    {
        var result = await RunAsync("multi.dmarc-org.test");

        Assert.Equal([DmarcFindingCodes.MultipleRecords], Codes(result));
        Assert.Equal("_dmarc.dmarc-org.test", result.Evidence["recordAt"]);
        Assert.Equal("quarantine", Policy(result, "domain")["policy"]);
    }

    [Fact]
    public async Task Run_PolicyNone_IsPolicyNone()
    {
        var result = await RunAsync("none.auth.test");

        var finding = Assert.Single(result.Findings);
        Assert.Equal(DmarcFindingCodes.PolicyNone, finding.Code);
        Assert.Equal(Severity.Warning, finding.Severity);
    }

    [Fact]
    public async Task Run_NoPButValidRua_IsTreatedAsNone()
    {
        var result = await RunAsync("nop.auth.test");

        Assert.Equal([DmarcFindingCodes.PolicyNone], Codes(result));
        Assert.Equal("none", Policy(result, "domain")["policy"]);
    }

    [Fact]
    public async Task Run_NoPAndNoRua_IsSyntaxErrorAndNoDmarcApplies()
    {
        var result = await RunAsync("nopnorua.auth.test");

        Assert.Contains(DmarcFindingCodes.SyntaxError, Codes(result));
        Assert.Contains(DmarcFindingCodes.NoAggregateReports, Codes(result));
        Assert.DoesNotContain(DmarcFindingCodes.PolicyNone, Codes(result));
        Assert.Null(Policy(result, "domain")["policy"]);
    }

    [Fact]
    public async Task Run_InvalidP_IsSyntaxErrorAndFallsBackToNone()
    {
        var result = await RunAsync("badp.auth.test");

        var syntax = Assert.Single(result.Findings, f => f.Code == DmarcFindingCodes.SyntaxError);
        Assert.Contains("p=rejected", syntax.Message, StringComparison.Ordinal);
        Assert.Contains(DmarcFindingCodes.PolicyNone, Codes(result));
        Assert.Equal(CheckStatus.Fail, result.Status);
    }

    [Fact]
    public async Task Run_ManyInvalidTags_AreAllNamedInOneFinding()
    {
        var result = await RunAsync("badtags.auth.test");

        var syntax = Assert.Single(result.Findings, f => f.Code == DmarcFindingCodes.SyntaxError);
        foreach (var tag in new[] { "sp=never", "adkim=x", "aspf=strict", "fo=0:1", "t=maybe", "psd=q", "mailto:" })
        {
            Assert.Contains(tag, syntax.Message, StringComparison.Ordinal);
        }

        // sp is invalid and rua has no valid URI: receivers apply no DMARC at all.
        Assert.Contains("no DMARC processing", syntax.Message, StringComparison.Ordinal);
        Assert.Contains(DmarcFindingCodes.NoAggregateReports, Codes(result));
    }

    [Theory]
    [InlineData("lower.auth.test", "case-sensitive")]
    [InlineData("vlate.auth.test", "does not start with v=DMARC1")]
    public async Task Run_RecordReceiversIgnore_IsSyntaxErrorAndMissing(string domain, string problem)
    {
        var result = await RunAsync(domain);

        var syntax = Assert.Single(result.Findings, f => f.Code == DmarcFindingCodes.SyntaxError);
        Assert.Contains(problem, syntax.Message, StringComparison.Ordinal);
        Assert.Contains(DmarcFindingCodes.Missing, Codes(result));
    }

    [Fact]
    public async Task Run_DuplicateTag_IsSyntaxErrorAndTheFirstValueCounts()
    {
        var result = await RunAsync("duptag.auth.test");

        Assert.Contains(DmarcFindingCodes.SyntaxError, Codes(result));
        Assert.Equal("none", Policy(result, "domain")["policy"]);
    }

    [Fact]
    public async Task Run_HistoricTags_AreInfo()
    {
        var result = await RunAsync("historic.auth.test");

        var finding = Assert.Single(result.Findings);
        Assert.Equal(DmarcFindingCodes.HistoricTag, finding.Code);
        Assert.Equal(Severity.Info, finding.Severity);
        Assert.Contains("pct=50, rf=afrf, ri=3600", finding.Message, StringComparison.Ordinal);
        Assert.Equal(CheckStatus.Pass, result.Status);
    }

    [Fact]
    public async Task Run_TestingMode_IsInfoAndAppliesOneLevelWeaker()
    {
        var result = await RunAsync("testing.auth.test");

        Assert.Equal([DmarcFindingCodes.TestingMode], Codes(result));
        Assert.Equal("quarantine", Policy(result, "domain")["policy"]);
        Assert.Equal("none", Policy(result, "domain")["applied"]);
    }

    [Fact]
    public async Task Run_NoRua_IsNoAggregateReports()
    {
        var result = await RunAsync("norua.auth.test");

        var finding = Assert.Single(result.Findings);
        Assert.Equal(DmarcFindingCodes.NoAggregateReports, finding.Code);
        Assert.Equal(Severity.Info, finding.Severity);
    }

    [Theory]
    [InlineData("spweak.auth.test", "existing subdomains: none")]
    [InlineData("npweak.auth.test", "non-existent subdomains: quarantine")]
    [InlineData("dmarc-org.test", "existing subdomains: quarantine")]
    [InlineData("dept.dmarc-org.test", "existing subdomains: none")]
    public async Task Run_WeakerSubdomainPolicy_IsInfo(string domain, string detail)
    {
        var result = await RunAsync(domain);

        var finding = Assert.Single(result.Findings);
        Assert.Equal(DmarcFindingCodes.SubdomainPolicyWeaker, finding.Code);
        Assert.Equal(Severity.Info, finding.Severity);
        Assert.Contains(detail, finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_NonExistentSubdomains_TakeNpElseSpElseP()
    {
        // RFC 9989 section 4.7: np for non-existent subdomains, falling back to sp, then to p.
        var np = await RunAsync("npweak.auth.test");
        var sp = await RunAsync("spweak.auth.test");
        var p = await RunAsync("reject.auth.test");

        Assert.Equal(("np", "quarantine"), ((string?)Policy(np, "nonExistentSubdomains")["tag"], (string?)Policy(np, "nonExistentSubdomains")["policy"]));
        Assert.Equal(("p", "reject"), ((string?)Policy(np, "subdomains")["tag"], (string?)Policy(np, "subdomains")["policy"]));
        Assert.Equal(("sp", "none"), ((string?)Policy(sp, "nonExistentSubdomains")["tag"], (string?)Policy(sp, "nonExistentSubdomains")["policy"]));
        Assert.Contains("non-existent subdomains: none", Assert.Single(sp.Findings).Message, StringComparison.Ordinal);
        Assert.Equal(("p", "reject"), ((string?)Policy(p, "nonExistentSubdomains")["tag"], (string?)Policy(p, "nonExistentSubdomains")["policy"]));
        Assert.Empty(p.Findings);
    }

    [Fact]
    public async Task Run_ExistingSubdomain_InheritsSpFromTheOrganizationalDomain()
    {
        var result = await RunAsync("sub.dmarc-org.test");

        Assert.Empty(result.Findings);
        Assert.Equal(true, result.Evidence["inherited"]);
        Assert.Equal("_dmarc.dmarc-org.test", result.Evidence["recordAt"]);
        Assert.Equal("quarantine", Policy(result, "domain")["policy"]);
        Assert.Equal("sp", Policy(result, "domain")["tag"]);
        Assert.Equal("reject", Policy(result, "nonExistentSubdomains")["policy"]);
        Assert.Equal(["_dmarc.sub.dmarc-org.test", "_dmarc.dmarc-org.test", "_dmarc.test"], QueriedNames(result));
    }

    [Fact]
    public async Task Run_SubdomainWithOwnRecord_ItsSpIsIgnoredBelowTheOrganizationalDomain()
    {
        var result = await RunAsync("team.dmarc-org.test");

        Assert.Empty(result.Findings);
        Assert.Equal("quarantine", Policy(result, "domain")["policy"]);
        Assert.Equal("dmarc-org.test", result.Evidence["organizationalDomain"]);
        Assert.Equal("_dmarc.dmarc-org.test", Policy(result, "subdomains")["recordAt"]);
        Assert.Equal("quarantine", Policy(result, "subdomains")["policy"]);
        Assert.Contains("ignored", (string)result.Evidence["note"]!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_RecordBetweenDomainAndOrganizationalDomain_IsNotThePolicy()
    {
        var result = await RunAsync("leaf.mid.dmarc-org.test");

        Assert.Equal("dmarc-org.test", result.Evidence["organizationalDomain"]);
        Assert.Equal("_dmarc.dmarc-org.test", result.Evidence["recordAt"]);
        Assert.Equal("quarantine", Policy(result, "domain")["policy"]);
        Assert.DoesNotContain(DmarcFindingCodes.PolicyNone, Codes(result));
        Assert.Equal(4, QueriedNames(result).Count);
    }

    [Fact]
    public async Task Run_PsdN_StopsTheWalkThere()
    {
        var result = await RunAsync("x.dept.dmarc-org.test");

        Assert.Equal(["_dmarc.x.dept.dmarc-org.test", "_dmarc.dept.dmarc-org.test"], QueriedNames(result));
        Assert.Equal("dept.dmarc-org.test", result.Evidence["organizationalDomain"]);
        Assert.Equal("none", Policy(result, "domain")["policy"]);
        Assert.Equal([DmarcFindingCodes.PolicyNone], Codes(result));
    }

    [Fact]
    public async Task Run_DeepName_SkipsLabelsAndStaysWithinEightQueries()
    {
        var result = await RunAsync("a.b.c.d.e.f.g.h.i.j.dmarc-org.test");

        Assert.Equal(
            [
                "_dmarc.a.b.c.d.e.f.g.h.i.j.dmarc-org.test", "_dmarc.f.g.h.i.j.dmarc-org.test", "_dmarc.g.h.i.j.dmarc-org.test",
                "_dmarc.h.i.j.dmarc-org.test", "_dmarc.i.j.dmarc-org.test", "_dmarc.j.dmarc-org.test", "_dmarc.dmarc-org.test", "_dmarc.test",
            ],
            QueriedNames(result));
        Assert.Equal(8.0, result.Metrics["dnsQueries"]);
        // The p=none record at c.d.e.f.g.h.i.j.dmarc-org.test is skipped; the organizational domain's sp applies.
        Assert.Empty(result.Findings);
        Assert.Equal("_dmarc.dmarc-org.test", result.Evidence["recordAt"]);
        Assert.Equal("quarantine", Policy(result, "domain")["policy"]);
    }

    [Fact]
    public async Task Run_TheSkippedRecord_IsRealWhenAskedDirectly()
    {
        var result = await RunAsync("c.d.e.f.g.h.i.j.dmarc-org.test");

        Assert.Equal("_dmarc.c.d.e.f.g.h.i.j.dmarc-org.test", result.Evidence["recordAt"]);
        Assert.Contains(DmarcFindingCodes.PolicyNone, Codes(result));
    }

    [Fact]
    public async Task Run_DomainUnderAPsd_IsItsOwnOrganizationalDomainWithThePsdPolicy()
    {
        var result = await RunAsync("bank.psd.test");

        Assert.Equal(["_dmarc.bank.psd.test", "_dmarc.psd.test"], QueriedNames(result));
        Assert.Equal("bank.psd.test", result.Evidence["organizationalDomain"]);
        Assert.Equal("_dmarc.psd.test", result.Evidence["recordAt"]);
        Assert.Equal("quarantine", Policy(result, "domain")["policy"]);
        Assert.DoesNotContain(DmarcFindingCodes.ReportDestinationUnauthorized, Codes(result));
    }

    [Fact]
    public async Task Run_SubdomainOfARegisteredDomainUnderAPsd_UsesTheRegisteredDomainsRecord()
    {
        var result = await RunAsync("mail.giant.psd.test");

        Assert.Equal(["_dmarc.mail.giant.psd.test", "_dmarc.giant.psd.test", "_dmarc.psd.test"], QueriedNames(result));
        Assert.Equal("giant.psd.test", result.Evidence["organizationalDomain"]);
        Assert.Equal("_dmarc.giant.psd.test", result.Evidence["recordAt"]);
        Assert.Equal("quarantine", Policy(result, "domain")["policy"]);
        Assert.Empty(result.Findings);
    }

    [Theory]
    [InlineData("extbad.auth.test")]
    [InlineData("extnotdmarc.auth.test")]
    [InlineData("extruf.auth.test")]
    public async Task Run_ExternalDestinationWithoutAuthorization_IsUnauthorized(string domain)
    {
        var result = await RunAsync(domain);

        var finding = Assert.Single(result.Findings);
        Assert.Equal(DmarcFindingCodes.ReportDestinationUnauthorized, finding.Code);
        Assert.Equal(Severity.Warning, finding.Severity);
        Assert.Equal("reports.test", finding.Subject);
        Assert.Contains($"{domain}._report._dmarc.reports.test", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_AuthorizedExternalDestination_IsVerifiedInTheEvidence()
    {
        var result = await RunAsync("extok.auth.test");

        var destination = Assert.IsAssignableFrom<IReadOnlyDictionary<string, object?>>(
            Assert.Single(Assert.IsAssignableFrom<IEnumerable<object>>(result.Evidence["externalDestinations"])));
        Assert.Equal("reports.test", destination["host"]);
        Assert.Equal(true, destination["authorized"]);
    }

    [Fact]
    public async Task Run_InternalDestination_IsNotVerified()
    {
        var result = await RunAsync("team.dmarc-org.test");

        Assert.False(result.Evidence.ContainsKey("externalDestinations"));
    }

    [Fact]
    public async Task Run_ReportHostBelowTheOrgDomainButItsOwnOrgDomain_IsVerifiedByItsOwnWalk()
    {
        // dept.dmarc-org.test has psd=n: by name inside dmarc-org.test, by its own walk external.
        var result = await RunAsync("reporter.dmarc-org.test");

        // (Its subdomains inherit sp=quarantine: an info finding of its own.)
        var finding = Assert.Single(result.Findings, f => f.Severity > Severity.Info);
        Assert.Equal(DmarcFindingCodes.ReportDestinationUnauthorized, finding.Code);
        Assert.Equal("dept.dmarc-org.test", finding.Subject);
        Assert.Contains("reporter.dmarc-org.test._report._dmarc.dept.dmarc-org.test", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_ReportHostBelowTheOrgDomainWithoutRecordOfItsOwn_IsInternal()
    {
        var result = await RunAsync("inside.dmarc-org.test");

        Assert.Equal([DmarcFindingCodes.SubdomainPolicyWeaker], Codes(result));
        Assert.False(result.Evidence.ContainsKey("externalDestinations"));
    }

    [Theory]
    [InlineData(DnsFault.Drop, DnsFindingCodes.Timeout)]
    [InlineData(DnsFault.ServerFailure, DnsFindingCodes.ServFail)]
    [InlineData(DnsFault.Refused, DnsFindingCodes.ServFail)]
    [InlineData(DnsFault.Garbage, DnsFindingCodes.ServFail)]
    [InlineData(DnsFault.Malformed, DnsFindingCodes.ServFail)]
    [InlineData(DnsFault.TruncatedThenClosed, null)]
    public async Task Run_BrokenDns_IsErrorNeverFail(DnsFault mode, string? code)
    {
        await using var server = ScriptedDnsServer.Start(mode);
        var timeout = mode == DnsFault.Drop ? TimeSpan.FromMilliseconds(300) : TimeSpan.FromSeconds(3);

        var result = await RunAsync("reject.auth.test", server.Resolver(timeout));

        Assert.Equal(CheckStatus.Error, result.Status);
        var finding = Assert.Single(result.Findings);
        Assert.Equal(Severity.Warning, finding.Severity);
        Assert.Contains(finding.Code, new[] { DnsFindingCodes.Timeout, DnsFindingCodes.ServFail });
        if (code is not null)
        {
            Assert.Equal(code, finding.Code);
        }

        Assert.DoesNotContain(DmarcFindingCodes.Missing, Codes(result));
        Assert.Equal(1.0, result.Metrics["dnsQueries"]);
    }

    [Fact]
    public async Task Run_ThroughTheRecursiveResolver_FindsTheSameInheritedPolicy()
    {
        // unbound (eng/peers/start.d/95-unbound.sh) in front of Knot, as a monitor in production would ask.
        var result = await RunAsync("sub.dmarc-org.test", RecursivePeer.Resolver());

        Assert.Empty(result.Findings);
        Assert.Equal("_dmarc.dmarc-org.test", result.Evidence["recordAt"]);
        Assert.Equal("quarantine", Policy(result, "domain")["policy"]);
    }

    [Fact]
    public void Registration_RunsDkimAndDmarc()
    {
        var checks = Peers.Checker().Checks;
        Assert.Contains(checks, c => c is DmarcCheck);
        Assert.Contains(checks, c => c.Kind == "dkim");
    }
}
