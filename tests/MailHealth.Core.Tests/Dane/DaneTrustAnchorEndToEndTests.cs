using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using MailHealth.Checks;
using MailHealth.Dane;
using MailHealth.Targets;
using MailHealth.Testing;
using MailHealth.Testing.Dns;

namespace MailHealth.Core.Tests.Dane;

/// <summary>
/// DANE-TA(2) against the chain the good Postfix listener really sends on port 25 (its leaf names
/// mx.good.smtp.test and mx.fallback.smtp.test, then the test CA): the record must match a
/// certificate of that chain, the leaf must chain to it, and the leaf must be valid for the MX host
/// or for the next-hop domain (RFC 7672 section 3.2.2). The names and TLSA records are scripted;
/// the handshake is Postfix's.
/// </summary>
public sealed class DaneTrustAnchorEndToEndTests
{
    private static readonly string Postfix = Peers.Address(10, 1).ToString();

    [Fact]
    public async Task Run_TaRecordOfTheIssuingCa_MatchesThePresentedChain()
    {
        var dane = await RunAsync("dane-ta.test", "mx.fallback.smtp.test", Peers.CaFile);

        Assert.DoesNotContain(dane.Findings, f => f.Code is DaneFindingCodes.TlsaMismatch or DaneFindingCodes.TlsUnavailable);
        Assert.Equal(CheckStatus.Pass, dane.Status);
        var match = Assert.Single(Assert.IsAssignableFrom<IEnumerable<IReadOnlyDictionary<string, object?>>>(dane.Evidence["matches"]));
        Assert.StartsWith("2 0 1 ", Assert.IsType<string>(match["record"]), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_LeafNotForTheMxHostButForTheNextHopDomain_Matches()
    {
        // The domain itself is a name of the leaf; its MX host is not.
        var dane = await RunAsync("mx.fallback.smtp.test", "relay.nexthop.test", Peers.CaFile);

        Assert.DoesNotContain(dane.Findings, f => f.Code == DaneFindingCodes.TlsaMismatch);
        Assert.Equal(CheckStatus.Pass, dane.Status);
    }

    [Fact]
    public async Task Run_LeafForNeitherTheMxHostNorTheNextHopDomain_IsMismatch()
    {
        var dane = await RunAsync("elsewhere.test", "relay.elsewhere.test", Peers.CaFile);

        var finding = Assert.Single(dane.Findings, f => f.Code == DaneFindingCodes.TlsaMismatch);
        Assert.Equal(Severity.Critical, finding.Severity);
        var reason = Assert.Single(Assert.IsAssignableFrom<IReadOnlyList<string>>(finding.Evidence!["reasons"]));
        Assert.Contains("matches certificate 1 of the chain, but the leaf is not valid for relay.elsewhere.test nor for the next-hop domain elsewhere.test", reason, StringComparison.Ordinal);
        Assert.Equal(CheckStatus.Fail, dane.Status);
    }

    [Fact]
    public async Task Run_TaRecordOfACertificateOutsideTheChain_IsMismatch()
    {
        var dane = await RunAsync("dane-ta-other.test", "mx.fallback.smtp.test", Path.Combine(Peers.State, "certs", "dane-other.pem"));

        var finding = Assert.Single(dane.Findings, f => f.Code == DaneFindingCodes.TlsaMismatch);
        var reason = Assert.Single(Assert.IsAssignableFrom<IReadOnlyList<string>>(finding.Evidence!["reasons"]));
        Assert.EndsWith("matches no certificate of the chain", reason, StringComparison.Ordinal);
    }

    /// <summary>
    /// The one DANE result of <paramref name="domain"/>, whose one MX host is the good Postfix
    /// listener with TLSA 2 0 1 (DANE-TA, the whole certificate, its SHA-256) of the certificate in
    /// <paramref name="anchorPem"/>, after a real probe of its port 25.
    /// </summary>
    private static async Task<CheckResult> RunAsync(string domain, string mxHost, string anchorPem)
    {
        using var anchor = X509Certificate2.CreateFromPem(File.ReadAllText(anchorPem));
        var zone = new ScriptedZone()
            .Set(domain, ScriptedRecord.Mx(10, mxHost))
            .Set(mxHost, ScriptedRecord.A(Postfix))
            .Set($"_25._tcp.{mxHost}", ScriptedRecord.Tlsa(2, 0, 1, SHA256.HashData(anchor.RawData)));
        await using var dns = ScriptedDnsServer.Start(zone);
        var target = Peers.Target(domain, t => t with { Ports = [new PortSpec(25, SmtpRole.Smtp)] });
        var context = Peers.Context(target, dns: dns.Resolver(TimeSpan.FromSeconds(5)));
        return Assert.Single(await new DaneCheck().RunAsync(context, CancellationToken.None));
    }
}
