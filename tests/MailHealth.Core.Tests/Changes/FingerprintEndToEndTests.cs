using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using MailHealth.Changes;
using MailHealth.Checks;
using MailHealth.Reports;
using MailHealth.Targets;
using MailHealth.Testing;
using MailHealth.Testing.Dns;

namespace MailHealth.Core.Tests.Changes;

/// <summary>The real checker against the peers (Knot, Postfix, nginx): the fingerprint holds what they serve.</summary>
public sealed class FingerprintEndToEndTests
{
    // The p= of mail._domainkey.demo.test (eng/peers/zones/demo.test.zone.in).
    private const string DemoDkimKey =
        "MIGfMA0GCSqGSIb3DQEBAQUAA4GNADCBiQKBgQDR3D9aRlEZBQhSgU14RUcf96/4Ws3Lyx5UGRNpxGKXTXApxNVSzCHoqPiQGfibRQiBPArXEexVy35DC7yfoT62JjNL1HRN7RS7zaw7XDuzJgDspTuhgPXPsWOMA9N9Som/ng55a3x5H6wH0K"
        + "WB3K6L9BL+GFZpc72Drt05z1knaQIDAQAB";

    private static Task<Report> CheckAsync(Target target) =>
        Peers.Checker().RunAsync(target, CancellationToken.None);

    private static X509Certificate2 PeerCertificate(string name) =>
        X509CertificateLoader.LoadCertificateFromFile(Path.Combine(Peers.State, "certs", name + ".pem"));

    private static string CertificateValue(string name)
    {
        using var certificate = PeerCertificate(name);
        var sha = Convert.ToHexStringLower(SHA256.HashData(certificate.RawData));
        return $"sha256={sha}; notAfter={certificate.NotAfter.ToUniversalTime():yyyy-MM-dd'T'HH:mm:ss'Z'}";
    }

    [Fact]
    public async Task Read_DemoDomain_HasEveryRecordKeyAndCertificateItServes()
    {
        var report = await CheckAsync(Peers.Target("demo.test", t => t with { DkimSelectors = ["mail"], Ports = [new PortSpec(25, SmtpRole.Smtp), new PortSpec(465, SmtpRole.Submissions)] }));

        var print = FingerprintReader.Read(report);

        var dkimSha = Convert.ToHexStringLower(SHA256.HashData(Convert.FromBase64String(DemoDkimKey)));
        var smtpCertificate = CertificateValue("smtp-good");
        Assert.Equal(
            new Dictionary<string, string>
            {
                ["mx"] = "10 mx.good.smtp.test",
                ["spf"] = $"v=spf1 mx ip4:{Peers.Net}.10.0/24 -all",
                ["dmarc"] = "v=DMARC1; p=none; rua=mailto:dmarc-reports@demo.test",
                ["dkim:mail"] = $"rsa 1024 sha256:{dkimSha}",
                ["mta-sts"] = "v=STSv1; id=20261127T000000",
                ["mta-sts-policy"] = "max_age: 604800; mode: enforce; mx: mx.good.smtp.test; version: STSv1",
                ["cert:mta-sts.demo.test:443"] = CertificateValue("demo-sts"),
                ["tls-rpt"] = "v=TLSRPTv1; rua=mailto:tls-reports@demo.test",
                ["cert:mx.good.smtp.test:25"] = smtpCertificate,
                ["cert:mx.good.smtp.test:465"] = smtpCertificate,
            }.OrderBy(i => i.Key, StringComparer.Ordinal),
            print.Items.OrderBy(i => i.Key, StringComparer.Ordinal));
        Assert.Empty(print.Unread);
        // No TLSA at _25._tcp.mx.good.smtp.test: known to be absent, so publishing one would be news.
        Assert.True(print.Knows("tlsa:mx.good.smtp.test"));
    }

    [Fact]
    public async Task Read_DaneDomain_HasTheTlsaRecordOfItsMxHost()
    {
        var report = await CheckAsync(Peers.Target("e2e.transport.test", t => t with { Ports = [new PortSpec(25, SmtpRole.Smtp)] }));

        var print = FingerprintReader.Read(report);

        using var certificate = PeerCertificate("smtp-good");
        var spki = Convert.ToHexString(SHA256.HashData(certificate.PublicKey.ExportSubjectPublicKeyInfo()));
        Assert.Equal($"3 1 1 {spki}", print.Items["tlsa:e2e.backup.transport.test"]);
        Assert.Equal("10 e2e.backup.transport.test", print.Items["mx"]);
        Assert.Equal("v=STSv1; id=1", print.Items["mta-sts"]);
        Assert.Equal(CertificateValue("smtp-good"), print.Items["cert:e2e.backup.transport.test:25"]);
        Assert.Equal("v=TLSRPTv1; rua=mailto:tlsrpt@e2e.transport.test", print.Items["tls-rpt"]);
    }

    [Fact]
    public async Task Compare_RunWhoseDnsIsSilent_IsNoRemovalAndTheBaselineKeepsWhatWasKnown()
    {
        var target = Peers.Target("demo.test", t => t with { DkimSelectors = ["mail"], Ports = [new PortSpec(25, SmtpRole.Smtp)] });
        var good = FingerprintReader.Read(await CheckAsync(target));
        await using var silent = ScriptedDnsServer.Start(DnsFault.Drop);

        var report = await Peers.Checker(silent.Resolver(TimeSpan.FromMilliseconds(300)))
            .RunAsync(target, CancellationToken.None);
        var failed = FingerprintReader.Read(report);

        Assert.Empty(failed.Items);
        Assert.All(good.Items.Keys, item => Assert.False(failed.Knows(item), item));
        Assert.Empty(ChangeDetector.Compare(good, failed, target.Id, "run-2", DateTimeOffset.UnixEpoch));
        Assert.Equal(good.Items, ChangeDetector.Carry(good, failed).Items);
    }

    [Fact]
    public async Task Compare_TwoRunsOfAnUnchangedDomain_YieldNoEvents()
    {
        var target = Peers.Target("demo.test", t => t with { DkimSelectors = ["mail"], Ports = [new PortSpec(25, SmtpRole.Smtp)] });

        var first = FingerprintReader.Read(await CheckAsync(target));
        var second = FingerprintReader.Read(await CheckAsync(target));

        Assert.NotEmpty(first.Items);
        Assert.Empty(ChangeDetector.Compare(first, second, target.Id, "run-2", DateTimeOffset.UnixEpoch));
    }
}
