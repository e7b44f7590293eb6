using MailHealth.Checks;
using MailHealth.Smtp;
using MailHealth.Targets;
using MailHealth.Testing;
using MailHealth.Testing.Dns;

namespace MailHealth.Core.Tests.Smtp;

/// <summary>
/// Every probe judges the certificate the server presents now. With TLS session resumption a
/// second handshake under the same host name presents no certificate, and the one cached from the
/// first (here: another server of the same Postfix, which shares its session-ticket keys) was
/// reported instead: a host moved to a server with an expired certificate looked healthy.
/// </summary>
public sealed class SmtpTlsResumptionTests
{
    [Theory]
    [InlineData(25)]
    [InlineData(465)]
    public async Task Probe_SameNameNowOnAnotherServer_ReportsTheNewServersCertificate(int port)
    {
        var zone = new ScriptedZone().Set("mx.fallback.smtp.test", ScriptedRecord.A(Peers.Address(10, 1).ToString()));
        await using var dns = ScriptedDnsServer.Start(zone);
        var target = Peers.Target("fallback.smtp.test", t => t with
        {
            Hosts = ["mx.fallback.smtp.test"],
            Ports = [PortSpec.TryParse(port.ToString(System.Globalization.CultureInfo.InvariantCulture), out var spec, out _) ? spec.Value : default],
        });
        var checker = Peers.Checker(dns.Resolver(TimeSpan.FromSeconds(2)));

        var first = await checker.RunAsync(target, CancellationToken.None);
        zone.Set("mx.fallback.smtp.test", ScriptedRecord.A(Peers.Address(10, 4).ToString()));
        var second = await checker.RunAsync(target, CancellationToken.None);

        Assert.DoesNotContain(Smtp(first).Findings, f => f.Code == "TLS_CERT_EXPIRED");
        Assert.Equal(Peers.Address(10, 4).ToString(), Smtp(second).Evidence["address"]);
        Assert.Contains(Smtp(second).Findings, f => f.Code == "TLS_CERT_EXPIRED");
    }

    private static CheckResult Smtp(MailHealth.Reports.Report report) => report.Checks.Single(c => c.Kind == SmtpCheck.KindName);
}
