using System.Net;
using System.Security.Cryptography.X509Certificates;
using MailHealth.Checks;
using MailHealth.Dns;
using MailHealth.MtaSts;
using MailHealth.Smtp;
using MailHealth.Targets;
using MailHealth.Testing;
using MailHealth.Testing.Servers;
using Microsoft.Extensions.Time.Testing;

namespace MailHealth.Core.Tests.MtaSts;

/// <summary>
/// The mta-sts check against the transport.test zone (eng/peers/zones/transport.test.zone.in) and
/// the nginx policy hosts (eng/peers/start.d/40-nginx.sh); the never-answering and trickling
/// policy hosts are socket servers of the tests on $MH_NET.49.N:443.
/// </summary>
public sealed class MtaStsCheckTests
{
    private static readonly string[] AllCodes =
    [
        MtaStsFindingCodes.Missing, MtaStsFindingCodes.RecordInvalid, MtaStsFindingCodes.PolicyUnreachable,
        MtaStsFindingCodes.PolicyInvalid, MtaStsFindingCodes.MxMismatch, MtaStsFindingCodes.TestingMode,
        MtaStsFindingCodes.ModeNone, MtaStsFindingCodes.MxTlsInvalid, SmtpFindingCodes.CertExpired, SmtpFindingCodes.CertExpiresSoon,
        SmtpFindingCodes.CertUntrusted, SmtpFindingCodes.CertNameMismatch,
    ];

    private static CheckOptions Options(TimeSpan? fetchTimeout = null, bool trustTestCa = true) => new()
    {
        ExtraTrustRoots = trustTestCa ? Peers.TestRoots() : [],
        AllowedNetworks = [.. Peers.LoopbackNetworks],
        ConnectTimeout = TimeSpan.FromSeconds(3),
        MtaStsPolicyTimeout = fetchTimeout ?? TimeSpan.FromSeconds(10),
    };

    /// <summary>Runs the check with the real MX stage and the given port-25 probe outcomes (none by default).</summary>
    private static async Task<CheckResult> CheckAsync(
        string name, CheckOptions? options = null, TimeProvider? time = null, DnsResolver? dns = null, IReadOnlyList<SmtpProbeOutcome>? probes = null)
    {
        var services = CheckServices.Default with { ProbeSmtp = (_, _) => Task.FromResult(probes ?? []) };
        var context = new CheckContext(
            Peers.Target(name + ".transport.test"), dns ?? Peers.Resolver(), options ?? Options(), time ?? TimeProvider.System, services, CancellationToken.None);
        return Assert.Single(await new MtaStsCheck().RunAsync(context, CancellationToken.None));
    }

    /// <summary>A port-25 probe outcome as the SMTP probe reports it, with a chain from the peers' certificate files.</summary>
    private static SmtpProbeOutcome Probe(string host, string? chainFile, bool connected = true)
    {
        var chain = new X509Certificate2Collection();
        if (chainFile is not null)
        {
            chain.ImportFromPemFile(Path.Combine(Peers.State, "certs", chainFile + ".chain.pem"));
        }

        return new SmtpProbeOutcome
        {
            Host = new MailHost(host, 10, [Peers.Address(41, 1)]),
            Port = new PortSpec(25, SmtpRole.Smtp),
            Address = connected ? Peers.Address(41, 1) : null,
            TlsEstablished = chain.Count > 0,
            CertificateChain = [.. chain.Select(c => c.RawData)],
            // As the probe judges it: against the test CA, for the host it connected to.
            Certificate = chain.Count > 0 ? CertificateInspector.Inspect(chain[0], [.. chain], host, Peers.TestRoots(), TimeProvider.System.GetUtcNow()) : null,
            ConnectTimedOut = !connected,
            Result = new CheckResultBuilder($"smtp:{host}:25", "smtp", $"{host}:25", TimeProvider.System).Build(),
        };
    }

    private static List<string> Codes(CheckResult result) => [.. result.Findings.Select(f => f.Code)];

    private static Finding Only(CheckResult result, string code) => Assert.Single(result.Findings, f => f.Code == code);

    [Fact]
    public async Task Check_GoodEnforcePolicy_PassesWithoutFindings()
    {
        var result = await CheckAsync("enforce");

        Assert.Equal(CheckStatus.Pass, result.Status);
        Assert.Empty(result.Findings);
        Assert.Equal("mta-sts", result.Id);
        Assert.Equal("enforce", result.Evidence["mode"]);
        Assert.Equal(604800L, result.Evidence["maxAge"]);
        Assert.Equal("20261127T01", result.Evidence["id"]);
        Assert.True(result.Metrics["certificateDaysLeft"] > 80);
    }

    [Fact]
    public async Task Check_GoodEnforcePolicy_RaisesNoneOfTheCodes()
    {
        var codes = Codes(await CheckAsync("enforce"));

        Assert.All(AllCodes, code => Assert.DoesNotContain(code, codes));
    }

    [Fact]
    public async Task Check_RecordInTwoStringsBesideOtherTxt_JoinsItAndPasses()
    {
        var result = await CheckAsync("split");

        Assert.Equal(CheckStatus.Pass, result.Status);
        Assert.Equal("20261127", result.Evidence["id"]);
    }

    [Fact]
    public async Task Check_NoRecord_IsInfoMissingOnly()
    {
        var result = await CheckAsync("notxt");

        Assert.Equal([MtaStsFindingCodes.Missing], Codes(result));
        Assert.Equal(Severity.Info, result.Findings[0].Severity);
        Assert.Equal(CheckStatus.Pass, result.Status);
    }

    [Theory]
    [InlineData("badrecord")]
    [InlineData("tworecords")]
    public async Task Check_MalformedOrDuplicateRecord_IsRecordInvalidAndFetchesNothing(string name)
    {
        var result = await CheckAsync(name);

        Assert.Equal([MtaStsFindingCodes.RecordInvalid], Codes(result));
        Assert.Equal(CheckStatus.Warn, result.Status);
        Assert.False(result.Evidence.ContainsKey("policyUrl"));
    }

    [Fact]
    public async Task Check_TestingMode_IsInfoAndMatchesMx()
    {
        var result = await CheckAsync("testing");

        Assert.Equal([MtaStsFindingCodes.TestingMode], Codes(result));
        Assert.Equal(CheckStatus.Pass, result.Status);
    }

    [Fact]
    public async Task Check_ModeNone_IsInfoModeNone()
    {
        var result = await CheckAsync("none");

        Assert.Equal([MtaStsFindingCodes.ModeNone], Codes(result));
        Assert.DoesNotContain(MtaStsFindingCodes.PolicyInvalid, Codes(result));
    }

    [Fact]
    public async Task Check_EnforceWithUncoveredMx_IsCriticalMismatchForThatHostOnly()
    {
        var result = await CheckAsync("mismatch");

        var finding = Only(result, MtaStsFindingCodes.MxMismatch);
        Assert.Equal(Severity.Critical, finding.Severity);
        Assert.Equal("rogue.transport.test", finding.Subject);
        Assert.Equal(CheckStatus.Fail, result.Status);
    }

    [Fact]
    public async Task Check_TestingWithUncoveredMx_IsWarningMismatch()
    {
        var result = await CheckAsync("testingmismatch");

        var finding = Only(result, MtaStsFindingCodes.MxMismatch);
        Assert.Equal(Severity.Warning, finding.Severity);
        Assert.Equal("mx.backup.transport.test", finding.Subject);
        Assert.Contains(MtaStsFindingCodes.TestingMode, Codes(result));
        Assert.Equal(CheckStatus.Warn, result.Status);
    }

    [Fact]
    public async Task Check_MalformedPolicy_IsPolicyInvalidNamingEachProblem()
    {
        var result = await CheckAsync("malformed");

        var finding = Only(result, MtaStsFindingCodes.PolicyInvalid);
        Assert.Equal(Severity.Critical, finding.Severity);
        Assert.Contains("STSv2", finding.Message, StringComparison.Ordinal);
        Assert.Contains("strict", finding.Message, StringComparison.Ordinal);
        Assert.Contains("forever", finding.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(MtaStsFindingCodes.PolicyUnreachable, Codes(result));
    }

    [Fact]
    public async Task Check_OversizedPolicy_IsPolicyInvalid()
    {
        var result = await CheckAsync("oversized");

        var finding = Only(result, MtaStsFindingCodes.PolicyInvalid);
        Assert.Contains("65536", finding.Message, StringComparison.Ordinal);
        Assert.Equal(nameof(PolicyFetchOutcome.TooLarge), finding.Evidence!["outcome"]);
    }

    [Fact]
    public async Task Check_PolicyServedAsHtml_IsPolicyInvalid()
    {
        var result = await CheckAsync("badtype");

        var finding = Only(result, MtaStsFindingCodes.PolicyInvalid);
        Assert.Contains("text/html", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_Redirect_IsNotFollowedAndIsUnreachable()
    {
        var result = await CheckAsync("redirect");

        var finding = Only(result, MtaStsFindingCodes.PolicyUnreachable);
        Assert.Equal("mta-sts.redirect.transport.test:443", finding.Subject);
        Assert.Equal(301, finding.Evidence!["status"]);
        Assert.Equal("https://mta-sts.enforce.transport.test/.well-known/mta-sts.txt", finding.Evidence["location"]);
        Assert.False(result.Evidence.ContainsKey("mode"));
    }

    [Fact]
    public async Task Check_NotFound_IsUnreachable()
    {
        var result = await CheckAsync("notfound");

        Assert.Equal(404, Only(result, MtaStsFindingCodes.PolicyUnreachable).Evidence!["status"]);
    }

    [Theory]
    [InlineData("nohost", "no address")]
    [InlineData("closed", "could not connect")]
    public async Task Check_PolicyHostWithoutServer_IsUnreachable(string name, string detail)
    {
        var result = await CheckAsync(name);

        var finding = Only(result, MtaStsFindingCodes.PolicyUnreachable);
        Assert.Contains(detail, finding.Message, StringComparison.Ordinal);
        Assert.Equal(CheckStatus.Fail, result.Status);
    }

    [Fact]
    public async Task Check_CertificateForAnotherName_IsNameMismatchAndUnreachable()
    {
        var result = await CheckAsync("wrongcert");

        var finding = Only(result, SmtpFindingCodes.CertNameMismatch);
        Assert.Equal("mta-sts.wrongcert.transport.test:443", finding.Subject);
        Assert.Equal(Severity.Critical, finding.Severity);
        Assert.Contains(MtaStsFindingCodes.PolicyUnreachable, Codes(result));
        Assert.DoesNotContain(SmtpFindingCodes.CertUntrusted, Codes(result));
        Assert.DoesNotContain(SmtpFindingCodes.CertExpired, Codes(result));
    }

    [Fact]
    public async Task Check_ExpiredCertificate_IsCertExpiredAndUnreachable()
    {
        var result = await CheckAsync("expired");

        var finding = Only(result, SmtpFindingCodes.CertExpired);
        Assert.Equal("mta-sts.expired.transport.test:443", finding.Subject);
        Assert.Contains(MtaStsFindingCodes.PolicyUnreachable, Codes(result));
        Assert.DoesNotContain(SmtpFindingCodes.CertNameMismatch, Codes(result));
        Assert.DoesNotContain(SmtpFindingCodes.CertUntrusted, Codes(result));
        Assert.True(result.Metrics["certificateDaysLeft"] < 0);
    }

    [Fact]
    public async Task Check_SelfSignedCertificate_IsUntrusted()
    {
        var result = await CheckAsync("untrusted");

        Assert.Equal("mta-sts.untrusted.transport.test:443", Only(result, SmtpFindingCodes.CertUntrusted).Subject);
        Assert.Contains(MtaStsFindingCodes.PolicyUnreachable, Codes(result));
    }

    [Fact]
    public async Task Check_TestCaNotTrusted_IsUntrusted()
    {
        var result = await CheckAsync("enforce", Options(trustTestCa: false));

        Assert.Contains(SmtpFindingCodes.CertUntrusted, Codes(result));
        Assert.Contains(MtaStsFindingCodes.PolicyUnreachable, Codes(result));
    }

    /// <summary>A clock <paramref name="daysLeft"/> days before the peer certificate's notAfter (certificates outlive one test run).</summary>
    private static FakeTimeProvider DaysBeforeExpiry(string certificate, double daysLeft)
    {
        using var cert = X509CertificateLoader.LoadCertificateFromFile(Path.Combine(Peers.State, "certs", certificate + ".pem"));
        return new FakeTimeProvider(new DateTimeOffset(cert.NotAfter.ToUniversalTime(), TimeSpan.Zero).AddDays(-daysLeft));
    }

    [Fact]
    public async Task Check_CertificateExpiringIn10Days_WarnsAndStillFetches()
    {
        var result = await CheckAsync("expiring", time: DaysBeforeExpiry("sts-expiring", 10));

        var finding = Only(result, SmtpFindingCodes.CertExpiresSoon);
        Assert.Equal(Severity.Warning, finding.Severity);
        Assert.Equal("mta-sts.expiring.transport.test:443", finding.Subject);
        Assert.Equal("enforce", result.Evidence["mode"]);
        Assert.DoesNotContain(MtaStsFindingCodes.PolicyUnreachable, Codes(result));
    }

    [Fact]
    public async Task Check_CertificateExpiringWithinCriticalDays_ByTheRunsClock_IsCritical()
    {
        // The run's clock, not the machine's, judges expiry.
        var result = await CheckAsync("enforce", time: DaysBeforeExpiry("sts-good", 3));

        var finding = Only(result, SmtpFindingCodes.CertExpiresSoon);
        Assert.Equal(Severity.Critical, finding.Severity);
    }

    [Fact]
    public async Task Check_CertificateExpiredByTheRunsClock_IsExpiredAndUnreachable()
    {
        var result = await CheckAsync("enforce", time: DaysBeforeExpiry("sts-good", -1));

        Assert.Contains(SmtpFindingCodes.CertExpired, Codes(result));
        Assert.Contains(MtaStsFindingCodes.PolicyUnreachable, Codes(result));
    }

    [Fact]
    public async Task Check_PolicyHostNeverAnswers_EndsWithinDeadlineAsUnreachable()
    {
        await using var silent = SocketServer.Silent(Peers.Address(49, 1), 443);

        var result = await CheckAsync("silent", Options(fetchTimeout: TimeSpan.FromSeconds(2)));

        var finding = Only(result, MtaStsFindingCodes.PolicyUnreachable);
        Assert.Contains("within 2 s", finding.Message, StringComparison.Ordinal);
        Assert.Equal(nameof(PolicyFetchOutcome.TimedOut), finding.Evidence!["outcome"]);
        Assert.True(silent.Accepted >= 1);
    }

    [Fact]
    public async Task Check_PolicyHostTricklesItsAnswer_EndsWithinDeadlineAsUnreachable()
    {
        var certificate = X509Certificate2.CreateFromPemFile(
            Path.Combine(Peers.State, "certs", "sts-good.pem"), Path.Combine(Peers.State, "certs", "sts-good.key"));
        // SslStream on Linux wants a certificate whose key it can hand to OpenSSL: reload it as PKCS#12.
        using var server = X509CertificateLoader.LoadPkcs12(certificate.Export(X509ContentType.Pkcs12), null);
        certificate.Dispose();
        await using var slow = new TricklingHttpsServer(
            new IPEndPoint(Peers.Address(49, 2), 443), server, "version: STSv1\nmode: enforce\nmx: mx1.transport.test\nmax_age: 86400\n", TimeSpan.FromMilliseconds(200));

        var result = await CheckAsync("slow", Options(fetchTimeout: TimeSpan.FromSeconds(2)));

        var finding = Only(result, MtaStsFindingCodes.PolicyUnreachable);
        Assert.Contains("no complete answer within 2 s", finding.Message, StringComparison.Ordinal);
        Assert.True(slow.Handshakes >= 1);
    }

    [Fact]
    public async Task Check_DnsServerDown_IsErrorNotFail()
    {
        var dns = new DnsResolver(new DnsResolverOptions
        {
            Servers = [new IPEndPoint(Peers.Address(49, 53), 53)],
            Timeout = TimeSpan.FromMilliseconds(500),
            Retries = 0,
            UseCache = false,
        });

        var result = await CheckAsync("enforce", dns: dns);

        Assert.Equal(CheckStatus.Error, result.Status);
        Assert.Contains(result.Findings, f => f.Code is DnsFindingCodes.Timeout or DnsFindingCodes.ServFail);
        Assert.DoesNotContain(MtaStsFindingCodes.Missing, Codes(result));
    }

    [Fact]
    public async Task Check_EnforceAndMxPresentValidCertificates_RaisesNoMxTlsFinding()
    {
        var result = await CheckAsync("enforce", probes: [Probe("mx1.transport.test", "sts-mx"), Probe("mx.backup.transport.test", "sts-mx")]);

        Assert.Empty(result.Findings);
        Assert.Equal(CheckStatus.Pass, result.Status);
    }

    [Fact]
    public async Task Check_EnforceAndMxCertificateForAnotherName_IsCriticalMxTlsInvalid()
    {
        var result = await CheckAsync("enforce", probes: [Probe("mx1.transport.test", "dane-leaf"), Probe("mx.backup.transport.test", "sts-mx")]);

        var finding = Only(result, MtaStsFindingCodes.MxTlsInvalid);
        Assert.Equal(Severity.Critical, finding.Severity);
        Assert.Equal("mx1.transport.test", finding.Subject);
        Assert.Contains("is not valid for mx1.transport.test", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_EnforceAndMxSelfSignedCertificate_IsMxTlsInvalid()
    {
        var result = await CheckAsync("enforce", probes: [Probe("mx1.transport.test", "sts-selfsigned")]);

        Assert.Contains(result.Findings, f => f.Code == MtaStsFindingCodes.MxTlsInvalid && f.Message.Contains("trusted root", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Check_TestingAndMxWithoutStartTls_IsWarningMxTlsInvalid()
    {
        var result = await CheckAsync("testing", probes: [Probe("mx1.transport.test", null)]);

        var finding = Only(result, MtaStsFindingCodes.MxTlsInvalid);
        Assert.Equal(Severity.Warning, finding.Severity);
        Assert.Contains("no STARTTLS", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_MxPort25Unreachable_IsNotJudgedByTheMtaStsCheck()
    {
        var result = await CheckAsync("enforce", probes: [Probe("mx1.transport.test", null, connected: false)]);

        Assert.DoesNotContain(MtaStsFindingCodes.MxTlsInvalid, Codes(result));
    }

    [Fact]
    public async Task Check_MxProbeCutShortOnOurSide_IsNotJudgedByTheMtaStsCheck()
    {
        var cut = Probe("mx1.transport.test", null) with
        {
            Result = new CheckResultBuilder("smtp:mx1.transport.test:25", "smtp", "mx1.transport.test:25", TimeProvider.System).MarkError("the run ran out of time").Build(),
        };

        var result = await CheckAsync("enforce", probes: [cut]);

        Assert.DoesNotContain(MtaStsFindingCodes.MxTlsInvalid, Codes(result));
    }

    [Fact]
    public async Task Check_ModeNone_DoesNotJudgeMxTls()
    {
        var result = await CheckAsync("none", probes: [Probe("mx1.transport.test", "dane-leaf")]);

        Assert.DoesNotContain(MtaStsFindingCodes.MxTlsInvalid, Codes(result));
    }
}
