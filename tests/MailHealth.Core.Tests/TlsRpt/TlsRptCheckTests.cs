using MailHealth.Checks;
using MailHealth.Testing;
using MailHealth.TlsRpt;

namespace MailHealth.Core.Tests.TlsRpt;

/// <summary>The tls-rpt check against the _smtp._tls records of the transport.test zone.</summary>
public sealed class TlsRptCheckTests
{
    private static async Task<CheckResult> CheckAsync(string domain) =>
        Assert.Single(await new TlsRptCheck().RunAsync(Peers.Context(Peers.Target(domain)), CancellationToken.None));

    private static List<string> Codes(CheckResult result) => [.. result.Findings.Select(f => f.Code)];

    [Theory]
    [InlineData("good.tlsrpt.transport.test", 1)]
    [InlineData("https.tlsrpt.transport.test", 2)]
    [InlineData("enforce.transport.test", 2)]
    public async Task Check_ValidRecord_PassesWithItsRuaAsEvidence(string domain, int ruaCount)
    {
        var result = await CheckAsync(domain);

        Assert.Equal(CheckStatus.Pass, result.Status);
        Assert.DoesNotContain(TlsRptFindingCodes.Invalid, Codes(result));
        Assert.DoesNotContain(TlsRptFindingCodes.Missing, Codes(result));
        Assert.Equal(ruaCount, Assert.IsType<List<string>>(result.Evidence["rua"]).Count);
        Assert.Equal("tls-rpt", result.Id);
    }

    [Theory]
    [InlineData("missing.tlsrpt.transport.test")]
    [InlineData("other.tlsrpt.transport.test")]
    [InlineData("does-not-exist.tlsrpt.transport.test")]
    public async Task Check_NoRecord_IsInfoMissing(string domain)
    {
        var result = await CheckAsync(domain);

        var finding = Assert.Single(result.Findings);
        Assert.Equal(TlsRptFindingCodes.Missing, finding.Code);
        Assert.Equal(Severity.Info, finding.Severity);
        Assert.Equal(CheckStatus.Pass, result.Status);
    }

    [Theory]
    [InlineData("badversion.tlsrpt.transport.test", "v=TLSRPTv1")]
    [InlineData("baduri.tlsrpt.transport.test", "ftp")]
    [InlineData("badmailto.tlsrpt.transport.test", "e-mail address")]
    [InlineData("norua.tlsrpt.transport.test", "rua")]
    [InlineData("two.tlsrpt.transport.test", "2 v=TLSRPTv1 records")]
    public async Task Check_BrokenRecord_WarnsInvalid(string domain, string why)
    {
        var result = await CheckAsync(domain);

        var finding = Assert.Single(result.Findings);
        Assert.Equal(TlsRptFindingCodes.Invalid, finding.Code);
        Assert.Equal(Severity.Warning, finding.Severity);
        Assert.Contains(why, finding.Message, StringComparison.Ordinal);
        Assert.Equal(CheckStatus.Warn, result.Status);
    }
}
