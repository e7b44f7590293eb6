using System.Net;
using MailHealth.Checks;
using MailHealth.Dns;
using MailHealth.Spf;
using MailHealth.Testing;
using MailHealth.Testing.Dns;

namespace MailHealth.Core.Tests.Spf;

/// <summary>The <c>spf</c> check against the spf.test zone that Knot serves (eng/peers/zones/spf.test.zone.in).</summary>
public sealed class SpfCheckTests
{
    private static IPAddress Sender => Peers.Address(20, 1);

    private static async Task<CheckResult> RunAsync(string domain, bool withSender = true, DnsResolver? dns = null)
    {
        var target = Peers.Target(domain, t => withSender ? t with { SendingIps = [Sender] } : t);
        var results = await new SpfCheck().RunAsync(Peers.Context(target, dns: dns), CancellationToken.None);
        return Assert.Single(results);
    }

    private static List<string> Codes(CheckResult result) => [.. result.Findings.Select(f => f.Code)];

    [Fact]
    public async Task Run_GoodRecord_PassesWithoutFindings()
    {
        var result = await RunAsync("good.spf.test");

        Assert.Empty(result.Findings);
        Assert.Equal(CheckStatus.Pass, result.Status);
        Assert.Equal("spf", result.Id);
        Assert.Equal("v=spf1 ip4:" + Peers.Net + ".20.1 a:mail.good.spf.test mx -all", result.Evidence["record"]);
        Assert.Equal(2, result.Metrics["lookups"]);
    }

    [Fact]
    public async Task Run_NoSendingIps_EvaluatesTheMailHostsAddresses()
    {
        var result = await RunAsync("good.spf.test", withSender: false);

        Assert.DoesNotContain(SpfFindingCodes.SenderNotAuthorized, Codes(result));
        Assert.Equal(1, result.Metrics["sendersChecked"]);
    }

    [Fact]
    public async Task Run_NoSpfRecord_WarnsMissing()
    {
        var result = await RunAsync("missing.spf.test");

        Assert.Equal([SpfFindingCodes.Missing], Codes(result));
        Assert.Equal(CheckStatus.Warn, result.Status);
    }

    [Fact]
    public async Task Run_CnameLoop_IsMissingAndDoesNotHang()
    {
        var result = await RunAsync("cnameloop.spf.test");

        Assert.Equal([SpfFindingCodes.Missing], Codes(result));
    }

    [Fact]
    public async Task Run_TwoRecords_IsCriticalMultipleRecords()
    {
        var result = await RunAsync("multiple.spf.test");

        var finding = Assert.Single(result.Findings);
        Assert.Equal(SpfFindingCodes.MultipleRecords, finding.Code);
        Assert.Equal(Severity.Critical, finding.Severity);
        Assert.Equal(2, ((IReadOnlyList<string>)finding.Evidence!["records"]!).Count);
    }

    [Fact]
    public async Task Run_BadAddress_ReportsTheTermAndPosition()
    {
        var result = await RunAsync("syntax.spf.test");

        var finding = Assert.Single(result.Findings);
        Assert.Equal(SpfFindingCodes.SyntaxError, finding.Code);
        Assert.Equal("ip4:300.1.2.3", finding.Evidence!["term"]);
        // "v=spf1 " and the first term, then "ip4:": the position of the bad address itself (1-based).
        Assert.Equal(8 + ("ip4:" + Peers.Net + ".20.1 ").Length + 4, finding.Evidence["position"]);
        Assert.Equal(CheckStatus.Fail, result.Status);
    }

    [Fact]
    public async Task Run_IncludeWithSyntaxError_ReportsTheIncludedDomain()
    {
        var result = await RunAsync("badinclude.spf.test");

        var finding = Assert.Single(result.Findings, f => f.Code == SpfFindingCodes.SyntaxError);
        Assert.Equal("syntax.spf.test", finding.Subject);
        Assert.Contains(SpfFindingCodes.SenderNotAuthorized, Codes(result));
    }

    [Fact]
    public async Task Run_ThirteenLookups_ReportsTooManyWithPerBranchCounts()
    {
        var result = await RunAsync("toomany.spf.test");

        var finding = Assert.Single(result.Findings, f => f.Code == SpfFindingCodes.TooManyLookups);
        Assert.Equal(13, finding.Evidence!["lookups"]);
        var branches = (IReadOnlyList<string>)finding.Evidence["branches"]!;
        Assert.Contains(branches, b => b.Contains("include:t1.toomany.spf.test: 3 lookup(s), 3 with its includes", StringComparison.Ordinal));
        Assert.Contains(branches, b => b.Contains("include:t3.toomany.spf.test: 1 lookup(s), 4 with its includes", StringComparison.Ordinal));
        Assert.Equal(13, result.Metrics["lookups"]);
        // The sending IP is listed only past the limit: its evaluation is a permerror.
        Assert.Contains(SpfFindingCodes.SenderNotAuthorized, Codes(result));
    }

    [Fact]
    public async Task Run_TenLookups_IsAllowed()
    {
        var result = await RunAsync("atlimit.spf.test");

        Assert.DoesNotContain(SpfFindingCodes.TooManyLookups, Codes(result));
        Assert.Equal(10, result.Metrics["lookups"]);
        Assert.Empty(result.Findings);
    }

    [Fact]
    public async Task Run_ThreeVoidLookups_IsCritical()
    {
        var result = await RunAsync("void.spf.test");

        Assert.Contains(SpfFindingCodes.TooManyVoidLookups, Codes(result));
        Assert.Equal(3, result.Metrics["voidLookups"]);
    }

    [Fact]
    public async Task Run_TwoVoidLookups_IsAllowed()
    {
        var result = await RunAsync("void2.spf.test");

        Assert.DoesNotContain(SpfFindingCodes.TooManyVoidLookups, Codes(result));
        Assert.Equal(2, result.Metrics["voidLookups"]);
    }

    [Theory]
    [InlineData("loop.spf.test")]
    [InlineData("redirloop.spf.test")]
    public async Task Run_Loop_ReportsIncludeLoop(string domain)
    {
        var result = await RunAsync(domain);

        Assert.Contains(SpfFindingCodes.IncludeLoop, Codes(result));
        Assert.Equal(CheckStatus.Fail, result.Status);
    }

    [Fact]
    public async Task Run_SendingIpAlsoGivenIpv4Mapped_IsEvaluatedOnce()
    {
        var target = Peers.Target("good.spf.test", t => t with { SendingIps = [Sender, Sender.MapToIPv6()] });

        var result = Assert.Single(await new SpfCheck().RunAsync(Peers.Context(target), CancellationToken.None));

        Assert.Equal(1, result.Metrics["sendersChecked"]);
    }

    [Fact]
    public async Task Run_TermsAfterAll_AreNotWalked()
    {
        // RFC 7208 section 5.1: mechanisms after "all" are never evaluated, so they cost nothing.
        var zone = new ScriptedZone()
            .Add("afterall.example", ScriptedRecord.Txt($"v=spf1 ip4:{Sender} -all include:nothing.example"))
            .Add("before.example", ScriptedRecord.Txt($"v=spf1 ip4:{Sender} include:nothing.example -all"));
        await using var server = ScriptedDnsServer.Start(zone);
        var dns = server.Resolver(TimeSpan.FromSeconds(3));

        var after = await RunAsync("afterall.example", dns: dns);
        var before = await RunAsync("before.example", dns: dns);

        Assert.DoesNotContain(SpfFindingCodes.IncludeNoRecord, Codes(after));
        Assert.Equal(0, after.Metrics["lookups"]);
        Assert.Contains(SpfFindingCodes.IncludeNoRecord, Codes(before));
    }

    [Fact]
    public async Task Run_IncludeOfDomainWithoutRecord_IsCritical()
    {
        var result = await RunAsync("noinclude.spf.test");

        Assert.Contains(SpfFindingCodes.IncludeNoRecord, Codes(result));
        Assert.DoesNotContain(SpfFindingCodes.IncludeNoRecord, Codes(await RunAsync("good.spf.test")));
    }

    [Theory]
    [InlineData("permissive.spf.test")]
    [InlineData("bareall.spf.test")]
    public async Task Run_PlusAll_IsPermissive(string domain)
    {
        var result = await RunAsync(domain);

        Assert.Equal([SpfFindingCodes.PermissiveAll], Codes(result));
        Assert.Equal(CheckStatus.Fail, result.Status);
    }

    [Fact]
    public async Task Run_QuestionAll_IsNeutralAllWarning()
    {
        var result = await RunAsync("neutral.spf.test");

        Assert.Equal([SpfFindingCodes.NeutralAll], Codes(result));
        Assert.Equal(CheckStatus.Warn, result.Status);
    }

    [Fact]
    public async Task Run_SoftFailAll_RaisesNoAllFinding()
    {
        var codes = Codes(await RunAsync("softall.spf.test"));

        Assert.DoesNotContain(SpfFindingCodes.PermissiveAll, codes);
        Assert.DoesNotContain(SpfFindingCodes.NeutralAll, codes);
    }

    [Fact]
    public async Task Run_PtrMechanism_Warns()
    {
        var result = await RunAsync("ptr.spf.test");

        Assert.Equal([SpfFindingCodes.PtrMechanism], Codes(result));
        Assert.DoesNotContain(SpfFindingCodes.PtrMechanism, Codes(await RunAsync("good.spf.test")));
    }

    [Fact]
    public async Task Run_SendingIpNotListed_IsNotAuthorizedWithExplanation()
    {
        var result = await RunAsync("notauth.spf.test");

        var finding = Assert.Single(result.Findings);
        Assert.Equal(SpfFindingCodes.SenderNotAuthorized, finding.Code);
        Assert.Equal(Sender.ToString(), finding.Subject);
        Assert.Equal("fail", finding.Evidence!["result"]);
        Assert.Equal($"{Sender} is not allowed to send mail for notauth.spf.test (sender postmaster@notauth.spf.test)", finding.Evidence["explanation"]);
    }

    [Theory]
    [InlineData("macro.spf.test")]
    [InlineData("manystrings.spf.test")]
    [InlineData("big.spf.test")]
    [InlineData("huge.spf.test")]
    [InlineData("alias.spf.test")]
    public async Task Run_HostileButValidData_PassesTheSender(string domain)
    {
        var result = await RunAsync(domain);

        Assert.Empty(result.Findings);
        Assert.Equal(CheckStatus.Pass, result.Status);
    }

    [Fact]
    public async Task Run_RecordLookupTimesOut_IsErrorWithTempError()
    {
        await using var server = ScriptedDnsServer.Start(new ScriptedZone().Timeout("slow.example"));
        var dns = server.Resolver(TimeSpan.FromMilliseconds(300));

        var result = await RunAsync("slow.example", dns: dns);

        Assert.Equal(CheckStatus.Error, result.Status);
        Assert.Contains(SpfFindingCodes.TempError, Codes(result));
        Assert.Contains(DnsFindingCodes.Timeout, Codes(result));
        Assert.DoesNotContain(SpfFindingCodes.SenderNotAuthorized, Codes(result));
    }

    [Fact]
    public async Task Run_GarbageAnswer_IsErrorNotACrash()
    {
        await using var server = ScriptedDnsServer.Start(new ScriptedZone().Fault("junk.example", DnsFault.Garbage));
        var dns = server.Resolver(TimeSpan.FromSeconds(3));

        var result = await RunAsync("junk.example", dns: dns);

        Assert.Equal(CheckStatus.Error, result.Status);
        Assert.Contains(SpfFindingCodes.TempError, Codes(result));
    }

    [Fact]
    public async Task Run_IncludeTimesOut_IsErrorNotFail()
    {
        var zone = new ScriptedZone()
            .Add("slowinclude.example", ScriptedRecord.Txt($"v=spf1 include:slow.example ip4:{Sender} -all"))
            .Timeout("slow.example");
        await using var server = ScriptedDnsServer.Start(zone);
        var dns = server.Resolver(TimeSpan.FromMilliseconds(300));

        var result = await RunAsync("slowinclude.example", dns: dns);

        Assert.Equal(CheckStatus.Error, result.Status);
        Assert.Contains(SpfFindingCodes.TempError, Codes(result));
        Assert.DoesNotContain(SpfFindingCodes.SenderNotAuthorized, Codes(result));
        Assert.DoesNotContain(SpfFindingCodes.TempError, Codes(await RunAsync("good.spf.test")));
    }
}
