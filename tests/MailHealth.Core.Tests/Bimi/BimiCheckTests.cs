using MailHealth.Bimi;
using MailHealth.Checks;
using MailHealth.Dns;
using MailHealth.Testing;
using MailHealth.Testing.Dns;

namespace MailHealth.Core.Tests.Bimi;

/// <summary>
/// The bimi check against eng/peers/zones/bimi.test.zone.in (one domain per case), its logos and
/// mark certificates served by nginx at logos.bimi.test (eng/peers/bimi/, 40-nginx.sh).
/// </summary>
public sealed class BimiCheckTests
{
    private static async Task<IReadOnlyList<CheckResult>> RunAllAsync(string domain, string? selector = null) =>
        await new BimiCheck().RunAsync(Peers.Context(Peers.Target(domain, t => t with { BimiSelector = selector })), CancellationToken.None);

    private static async Task<CheckResult> RunAsync(string domain) => Assert.Single(await RunAllAsync(domain));

    [Fact]
    public async Task Run_GoodLogoCertificateAndDmarc_PassesWithoutFindings()
    {
        var result = await RunAsync("good.bimi.test");

        Assert.Empty(result.Findings);
        Assert.Equal(CheckStatus.Pass, result.Status);
        Assert.Equal("bimi:default", result.Id);
        Assert.Equal("default._bimi.good.bimi.test", result.Subject);
        Assert.Equal("reject", result.Evidence["dmarcPolicy"]);
        var mark = Assert.IsAssignableFrom<IReadOnlyDictionary<string, object?>>(result.Evidence["markCertificate"]);
        Assert.Equal(2, mark["certificates"]);
    }

    [Fact]
    public async Task Run_NoRecord_IsNoFindingBimiIsOptional()
    {
        var result = await RunAsync("nothing.bimi.test");

        Assert.Empty(result.Findings);
        Assert.False(result.Evidence.ContainsKey("record"));
    }

    [Fact]
    public async Task Run_ConfiguredSelector_IsCheckedBesideDefault()
    {
        var results = await RunAllAsync("good.bimi.test", "brand");

        Assert.Equal(["bimi:default", "bimi:brand"], results.Select(r => r.Id));
        Assert.All(results, r => Assert.Empty(r.Findings));
        Assert.Equal("v=BIMI1; l=https://logos.bimi.test/good.svg;", results[1].Evidence["record"]);
    }

    [Fact]
    public async Task Run_ConfiguredSelectorWithoutRecord_IsMissing()
    {
        var results = await RunAllAsync("good.bimi.test", "nosuch");

        var finding = Assert.Single(Assert.Single(results, r => r.Id == "bimi:nosuch").Findings);
        Assert.Equal(BimiFindingCodes.Missing, finding.Code);
        Assert.Equal(Severity.Warning, finding.Severity);
    }

    [Theory]
    [InlineData("none.bimi.test", "policy is none")]
    [InlineData("pct.bimi.test", "pct=50")]
    [InlineData("nodmarc.bimi.test", "no DMARC policy applies")]
    public async Task Run_DmarcNotAtEnforcement_IsDmarcInsufficient(string domain, string detail)
    {
        var result = await RunAsync(domain);

        var finding = Assert.Single(result.Findings);
        Assert.Equal(BimiFindingCodes.DmarcInsufficient, finding.Code);
        Assert.Equal(Severity.Warning, finding.Severity);
        Assert.Contains(detail, finding.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("script.bimi.test", "<script>")]
    [InlineData("script.bimi.test", "baseProfile")]
    [InlineData("external.bimi.test", "https://elsewhere.example/logo.png")]
    [InlineData("external.bimi.test", "no <title>")]
    [InlineData("big.bimi.test", "32 KiB")]
    [InlineData("png.bimi.test", "image/png")]
    public async Task Run_BadLogo_IsLogoInvalid(string domain, string detail)
    {
        var result = await RunAsync(domain);

        var finding = Assert.Single(result.Findings);
        Assert.Equal(BimiFindingCodes.LogoInvalid, finding.Code);
        Assert.Equal(Severity.Warning, finding.Severity);
        Assert.Contains(detail, finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_LogoNotFound_IsLogoUnreachable()
    {
        var result = await RunAsync("gone.bimi.test");

        var finding = Assert.Single(result.Findings);
        Assert.Equal(BimiFindingCodes.LogoUnreachable, finding.Code);
        Assert.Contains("404", finding.Message, StringComparison.Ordinal);
        Assert.Contains("only 200 delivers the logo", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_LogoHostNotTrusted_SaysReceiversRefuseTheLogo()
    {
        // Without the test CA the logo host is untrusted, as it is to a receiver. Found by trying
        // the CLI without --ca-file: the finding spoke of "the policy host" and "the policy".
        var options = new CheckOptions { HeloName = "probe.mailhealth.test", ConnectTimeout = TimeSpan.FromSeconds(3), AllowedNetworks = [.. Peers.LoopbackNetworks] };
        var result = Assert.Single(await new BimiCheck().RunAsync(Peers.Context(Peers.Target("good.bimi.test"), options), CancellationToken.None));

        var logo = Assert.Single(result.Findings, f => f.Code == BimiFindingCodes.LogoUnreachable);
        Assert.Contains("the logo host's certificate is not valid for it, so receivers refuse the logo", logo.Message, StringComparison.Ordinal);
        var mark = Assert.Single(result.Findings, f => f.Code == BimiFindingCodes.CertificateInvalid);
        Assert.Contains("the mark certificate host's certificate is not valid", mark.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(result.Findings, f => f.Message.Contains("policy", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("http.bimi.test", "not an https URI")]
    [InlineData("two.bimi.test", "2 BIMI records")]
    [InlineData("version.bimi.test", "does not start with v=BIMI1")]
    public async Task Run_BadRecord_IsSyntaxError(string domain, string detail)
    {
        var result = await RunAsync(domain);

        var finding = Assert.Single(result.Findings);
        Assert.Equal(BimiFindingCodes.SyntaxError, finding.Code);
        Assert.Contains(detail, finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_DeclinationRecord_HasNoFindings()
    {
        var result = await RunAsync("declined.bimi.test");

        Assert.Empty(result.Findings);
        Assert.Equal(true, result.Evidence["declined"]);
    }

    [Theory]
    [InlineData("expiredvmc.bimi.test", "expired")]
    [InlineData("plaincert.bimi.test", "no logotype extension")]
    [InlineData("plaincert.bimi.test", "lacks the BIMI extended key usage")]
    [InlineData("brokenpem.bimi.test", "not a PEM certificate chain")]
    [InlineData("textcert.bimi.test", "holds no PEM certificate")]
    public async Task Run_BadMarkCertificate_IsCertificateInvalid(string domain, string detail)
    {
        var result = await RunAsync(domain);

        var finding = Assert.Single(result.Findings);
        Assert.Equal(BimiFindingCodes.CertificateInvalid, finding.Code);
        Assert.Contains(detail, finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_DmarcLookupFailed_IsUncertainNotInsufficient()
    {
        // Issue 10, defect 1's rule for a check that reads more than one name: the DMARC
        // prerequisite cannot be read (SERVFAIL), the record and logo are still judged.
        var zone = new ScriptedZone()
            .Add("default._bimi.brand.example", ScriptedRecord.Txt("v=BIMI1; l=https://logos.bimi.test/good.svg;"))
            .Fault("_dmarc.brand.example", DnsFault.ServerFailure)
            .Add("logos.bimi.test", ScriptedRecord.A(Peers.Address(40, 30).ToString()));
        await using var server = ScriptedDnsServer.Start(zone);
        var context = Peers.Context(Peers.Target("brand.example"), dns: server.Resolver(TimeSpan.FromSeconds(2)));

        var result = Assert.Single(await new BimiCheck().RunAsync(context, CancellationToken.None));

        var finding = Assert.Single(result.Findings);
        Assert.Equal(DnsFindingCodes.LookupIncomplete, finding.Code);
        Assert.Equal(Severity.Info, finding.Severity);
        Assert.Contains("TXT _dmarc.brand.example", finding.Message, StringComparison.Ordinal);
        Assert.Equal(CheckStatus.Pass, result.Status);
        Assert.Null(result.Error);
        Assert.True(result.Evidence.ContainsKey("logo"));
    }

    [Fact]
    public void MarkCertificate_JudgedByTheGivenClock()
    {
        // The peers' good VMC runs a year from their start: two years on it has expired.
        var pem = File.ReadAllBytes(Path.Combine(Peers.State, "certs", "bimi-vmc.pem"));
        var now = TimeProvider.System.GetUtcNow();

        Assert.Empty(MarkCertificateInspector.Inspect(pem, now).Problems);
        Assert.Contains("expired", Assert.Single(MarkCertificateInspector.Inspect(pem, now.AddYears(2)).Problems), StringComparison.Ordinal);
    }

    [Fact]
    public void Registration_RunsBimi() => Assert.Contains(Peers.Checker().Checks, c => c is BimiCheck);
}
