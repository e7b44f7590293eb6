using MailHealth.Checks;
using MailHealth.Dane;
using MailHealth.MtaSts;
using MailHealth.Targets;
using MailHealth.Testing;
using MailHealth.TlsRpt;

namespace MailHealth.Core.Tests.Dane;

/// <summary>
/// MTA-STS, TLS-RPT and DANE with the real SMTP probe of port 25 against Postfix
/// (eng/peers/start.d/30-postfix.sh), the policy on nginx and the records in Knot: one shared
/// context, as in a run, so the checks see the chain the probe really saw.
/// </summary>
public sealed class DaneEndToEndTests
{
    private static CheckContext Context(string domain) =>
        Peers.Context(Peers.Target(domain, t => t with { Ports = [new PortSpec(25, SmtpRole.Smtp)] }));

    [Fact]
    public async Task Run_DaneEeOfThePostfixCertificate_MatchesWhatTheProbeSaw()
    {
        var context = Context("e2e.transport.test");

        var dane = Assert.Single(await new DaneCheck().RunAsync(context, CancellationToken.None));

        Assert.Equal("dane:e2e.backup.transport.test", dane.Id);
        Assert.DoesNotContain(dane.Findings, f => f.Code is DaneFindingCodes.TlsaMismatch or DaneFindingCodes.TlsUnavailable);
        Assert.Equal(CheckStatus.Pass, dane.Status);
        var probe = Assert.Single(await context.SmtpProbes);
        Assert.True(probe.TlsEstablished);
    }

    [Fact]
    public async Task Run_TlsaOfAnotherCertificate_IsMismatchAgainstThePostfixChain()
    {
        var dane = Assert.Single(await new DaneCheck().RunAsync(Context("e2e-dane-bad.transport.test"), CancellationToken.None));

        Assert.Contains(dane.Findings, f => f.Code == DaneFindingCodes.TlsaMismatch && f.Subject == "mx.e2e-dane-bad.transport.test");
        Assert.Equal(CheckStatus.Fail, dane.Status);
    }

    [Fact]
    public async Task Run_EnforcePolicyAndMxCertificateForAnotherName_IsMxTlsInvalid()
    {
        var context = Context("e2e.transport.test");

        var mtaSts = Assert.Single(await new MtaStsCheck().RunAsync(context, CancellationToken.None));
        var tlsRpt = Assert.Single(await new TlsRptCheck().RunAsync(context, CancellationToken.None));

        var finding = Assert.Single(mtaSts.Findings);
        Assert.Equal(MtaStsFindingCodes.MxTlsInvalid, finding.Code);
        Assert.Equal("e2e.backup.transport.test", finding.Subject);
        Assert.Contains("is not valid for e2e.backup.transport.test", finding.Message, StringComparison.Ordinal);
        Assert.Empty(tlsRpt.Findings);
    }
}
