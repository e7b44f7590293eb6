using MailHealth.Checks;
using MailHealth.Spf;
using MailHealth.Testing;
using MailHealth.Testing.Dns;

namespace MailHealth.Core.Tests.Spf;

/// <summary>
/// The lint gaps of issue 10: "+all"/"?all" reached through include or redirect, more than 10 MX
/// names, records read once per run, and a second cause with the same code kept
/// (eng/peers/zones/spf.test.zone.in).
/// </summary>
public sealed class SpfLintTests
{
    private static async Task<CheckResult> RunAsync(string domain, Testing.Dns.ScriptedDnsServer? server = null)
    {
        var target = Peers.Target(domain, t => t with { SendingIps = [Peers.Address(20, 1)] });
        var dns = server?.Resolver(TimeSpan.FromSeconds(2));
        return Assert.Single(await new SpfCheck().RunAsync(Peers.Context(target, dns: dns), CancellationToken.None));
    }

    private static List<string> Codes(CheckResult result) => [.. result.Findings.Select(f => f.Code)];

    [Theory]
    [InlineData("incperm.spf.test", "include:permissive.spf.test")]
    [InlineData("redirperm.spf.test", "redirect=permissive.spf.test")]
    public async Task Run_PlusAllReachedThroughIncludeOrRedirect_IsPermissive(string domain, string via)
    {
        var result = await RunAsync(domain);

        var finding = Assert.Single(result.Findings, f => f.Code == SpfFindingCodes.PermissiveAll);
        Assert.Equal(Severity.Critical, finding.Severity);
        Assert.Equal(domain, finding.Subject);
        Assert.Contains(via, finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_QuestionAllReachedThroughRedirect_IsNeutralAll()
    {
        var result = await RunAsync("redirneutral.spf.test");

        var finding = Assert.Single(result.Findings);
        Assert.Equal(SpfFindingCodes.NeutralAll, finding.Code);
        Assert.Equal(Severity.Warning, finding.Severity);
        Assert.Contains("redirect=neutral.spf.test", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_QuestionAllInsideAnInclude_IsHarmless()
    {
        // An include matches only on pass (RFC 7208 section 5.2): its "?all" never decides.
        var result = await RunAsync("incneutral.spf.test");

        Assert.Empty(result.Findings);
    }

    [Fact]
    public async Task Run_TwoCausesWithOneCode_AreBothKept()
    {
        var result = await RunAsync("twoperm.spf.test");

        var findings = result.Findings.Where(f => f.Code == SpfFindingCodes.PermissiveAll).ToList();
        Assert.Equal(2, findings.Count);
        Assert.Contains(findings, f => f.Message.Contains("include:permissive.spf.test", StringComparison.Ordinal));
        Assert.Contains(findings, f => f.Message.Contains("ends in '+all'", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Run_MxWithElevenNames_IsTooManyMxNames()
    {
        var result = await RunAsync("manymx.spf.test");

        var finding = Assert.Single(result.Findings, f => f.Code == SpfFindingCodes.TooManyMxNames);
        Assert.Equal(Severity.Critical, finding.Severity);
        Assert.Contains("11 MX hosts", finding.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(SpfFindingCodes.TooManyLookups, Codes(result));
    }

    [Fact]
    public async Task Run_MxWithTenNames_IsFine()
    {
        var result = await RunAsync("tenmx.spf.test");

        Assert.DoesNotContain(SpfFindingCodes.TooManyMxNames, Codes(result));
        Assert.Equal(CheckStatus.Pass, result.Status);
    }

    [Fact]
    public async Task Run_RecordsAreReadOncePerRun()
    {
        // The walk and three per-IP evaluations all need these two records: two TXT queries in all.
        var zone = new ScriptedZone()
            .Add("shared.example", ScriptedRecord.Txt("v=spf1 include:provider.example -all"))
            .Add("provider.example", ScriptedRecord.Txt("v=spf1 ip4:192.0.2.0/24 ~all"));
        await using var server = ScriptedDnsServer.Start(zone);
        var target = Peers.Target("shared.example", t => t with
        {
            SendingIps = [System.Net.IPAddress.Parse("192.0.2.1"), System.Net.IPAddress.Parse("192.0.2.2"), System.Net.IPAddress.Parse("198.51.100.1")],
        });

        var result = Assert.Single(await new SpfCheck().RunAsync(Peers.Context(target, dns: server.Resolver(TimeSpan.FromSeconds(2))), CancellationToken.None));

        Assert.Equal(2, server.Queries);
        Assert.Equal(3, result.Metrics["sendersChecked"]);
        Assert.Single(result.Findings, f => f.Code == SpfFindingCodes.SenderNotAuthorized);
    }
}
