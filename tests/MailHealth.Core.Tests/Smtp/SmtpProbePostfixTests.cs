using MailHealth.Checks;
using MailHealth.Smtp;
using MailHealth.Testing;
using static MailHealth.Core.Tests.Smtp.SmtpPeers;

namespace MailHealth.Core.Tests.Smtp;

/// <summary>The probe against each Postfix configuration: exactly the right findings, nothing more.</summary>
public sealed class SmtpProbePostfixTests
{
    public static TheoryData<int> Ports => [25, 587, 465];

    [Theory]
    [MemberData(nameof(Ports))]
    public async Task Probe_GoodHost_PassesWithoutAnyWarning(int port)
    {
        var outcome = await ProbeAsync("good", Port(port));

        Assert.Empty(Problems(outcome));
        Assert.Equal(CheckStatus.Pass, outcome.Result.Status);
        Assert.Equal($"smtp:mx.good.smtp.test:{port}", outcome.Result.Id);
        Assert.Equal("smtp", outcome.Result.Kind);
        Assert.Equal($"mx.good.smtp.test:{port}", outcome.Result.Subject);
        Assert.True(outcome.TlsEstablished);
        Assert.Equal(Address("good"), outcome.Address);
        Assert.Equal("mx.good.smtp.test", outcome.GreetingHostname);
        Assert.False(outcome.ConnectTimedOut);
        Assert.Equal(2, outcome.CertificateChain.Count);
        var certificate = Assert.IsType<CertificateReport>(outcome.Certificate);
        Assert.True(certificate.Trusted);
        Assert.True(certificate.NameMatches);
        Assert.Contains("mx.good.smtp.test", certificate.DnsNames);
        Assert.InRange(certificate.DaysLeft, 360, 366);
        foreach (var metric in new[] { "connectMs", "greetingMs", "ehloAfterTlsMs", "tlsMs", "totalMs", "certDaysLeft" })
        {
            Assert.Contains(metric, outcome.Result.Metrics.Keys);
        }

        Assert.StartsWith("220 mx.good.smtp.test", Assert.IsAssignableFrom<IReadOnlyList<string>>(outcome.Result.Evidence["greeting"])[0], StringComparison.Ordinal);
        var tls = Assert.IsType<Dictionary<string, object?>>(outcome.Result.Evidence["tls"]);
        Assert.Equal(port == 465 ? "implicit" : "starttls", tls["mode"]);
        Assert.Contains((string)tls["protocol"]!, new[] { "TLSv1.2", "TLSv1.3" });
    }

    [Fact]
    public async Task Probe_GoodSubmission_OffersStartTlsAndAuthOnlyAfterTls()
    {
        var outcome = await ProbeAsync("good", Port587);

        var evidence = outcome.Result.Evidence;
        Assert.Contains("250-STARTTLS", Assert.IsAssignableFrom<IReadOnlyList<string>>(evidence["ehlo"]));
        Assert.Empty(Assert.IsAssignableFrom<IReadOnlyList<string>>(evidence["authMechanisms"]));
        Assert.Equal(["PLAIN", "LOGIN"], Assert.IsAssignableFrom<IReadOnlyList<string>>(evidence["authMechanismsAfterTls"]));
        Assert.StartsWith("220", (string)evidence["starttls"]!, StringComparison.Ordinal);
        Assert.Contains("ehloMs", outcome.Result.Metrics.Keys);
        Assert.Contains("starttlsMs", outcome.Result.Metrics.Keys);
    }

    [Theory]
    [InlineData(25, Severity.Warning)]
    [InlineData(587, Severity.Critical)]
    public async Task Probe_NoTls_StartTlsMissing(int port, Severity severity)
    {
        var outcome = await ProbeAsync("notls", Port(port));

        Assert.Equal([(SmtpFindingCodes.StartTlsMissing, severity)], Problems(outcome));
        Assert.False(outcome.TlsEstablished);
        Assert.Empty(outcome.CertificateChain);
    }

    [Fact]
    public async Task Probe_PlainTextOn465_ImplicitTlsFailed()
    {
        var outcome = await ProbeAsync("notls", Port465);

        Assert.Equal([(SmtpFindingCodes.ImplicitTlsFailed, Severity.Critical)], Problems(outcome));
        Assert.Equal(CheckStatus.Fail, outcome.Result.Status);
        Assert.Contains("plain text instead: \"220 mx.notls.smtp.test ESMTP\"", outcome.Result.Findings[0].Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Probe_AuthOfferedBeforeStartTls_AuthBeforeTls()
    {
        var outcome = await ProbeAsync("authplain", Port587);

        Assert.Equal([(SmtpFindingCodes.AuthBeforeTls, Severity.Critical)], Problems(outcome));
        Assert.Equal(["PLAIN", "LOGIN"], Assert.IsAssignableFrom<IReadOnlyList<string>>(outcome.Result.Evidence["authMechanisms"]));
    }

    [Theory]
    [InlineData(25)]
    [InlineData(465)]
    public async Task Probe_AuthPlainHostOtherPorts_Clean(int port) =>
        Assert.Empty(Problems(await ProbeAsync("authplain", Port(port))));

    [Theory]
    [MemberData(nameof(Ports))]
    public async Task Probe_ExpiredCertificate_OnlyCertExpired(int port)
    {
        var outcome = await ProbeAsync("expired", Port(port));

        Assert.Equal([(SmtpFindingCodes.CertExpired, Severity.Critical)], Problems(outcome));
        Assert.True(outcome.TlsEstablished);
        Assert.True(outcome.Result.Metrics["certDaysLeft"] < 0);
    }

    [Theory]
    [InlineData("expiring3", Severity.Critical)]
    [InlineData("expiring15", Severity.Warning)]
    public async Task Probe_CertificateExpiringSoon_SeverityByDaysLeft(string configuration, Severity severity)
    {
        foreach (var port in AllPorts)
        {
            var outcome = await ProbeAsync(configuration, port);
            Assert.Equal([(SmtpFindingCodes.CertExpiresSoon, severity)], Problems(outcome));
        }
    }

    [Fact]
    public async Task Probe_CertificateExpiringIn15Days_IsCleanWithALowerWarningThreshold()
    {
        var outcome = await ProbeAsync("expiring15", Port25, options: o => new CheckOptions
        {
            ExtraTrustRoots = o.ExtraTrustRoots,
            HeloName = o.HeloName,
            AllowedNetworks = o.AllowedNetworks,
            CertificateWarningDays = 10,
            CertificateCriticalDays = 5,
        });

        Assert.Empty(Problems(outcome));
        Assert.InRange(outcome.Result.Metrics["certDaysLeft"], 13, 15);
    }

    [Theory]
    [InlineData(25, Severity.Warning)]
    [InlineData(587, Severity.Critical)]
    [InlineData(465, Severity.Critical)]
    public async Task Probe_WrongNameCertificate_NameMismatchByRole(int port, Severity severity)
    {
        var outcome = await ProbeAsync("wrongname", Port(port));

        Assert.Equal([(SmtpFindingCodes.CertNameMismatch, severity)], Problems(outcome));
        Assert.Contains("mail.elsewhere.test", outcome.Result.Findings[0].Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(25, Severity.Warning)]
    [InlineData(587, Severity.Critical)]
    [InlineData(465, Severity.Critical)]
    public async Task Probe_SelfSignedCertificate_UntrustedByRole(int port, Severity severity)
    {
        var outcome = await ProbeAsync("selfsigned", Port(port));

        Assert.Equal([(SmtpFindingCodes.CertUntrusted, severity)], Problems(outcome));
        Assert.False(outcome.Certificate!.Trusted);
        Assert.NotEmpty(outcome.Certificate.ChainStatus);
    }

    [Fact]
    public async Task Probe_TestCaNotTrusted_GoodHostIsUntrusted()
    {
        // Without --ca-file the test CA is just another unknown root: the system store alone decides.
        var outcome = await ProbeAsync("good", Port587, options: o => new CheckOptions { HeloName = o.HeloName, AllowedNetworks = o.AllowedNetworks });

        Assert.Equal([(SmtpFindingCodes.CertUntrusted, Severity.Critical)], Problems(outcome));
    }

    [Theory]
    [InlineData(587)]
    [InlineData(465)]
    public async Task Probe_SubmissionWithoutAuth_AuthMissing(int port)
    {
        var outcome = await ProbeAsync("noauth", Port(port));

        Assert.Equal([(SmtpFindingCodes.AuthMissing, Severity.Warning)], Problems(outcome));
    }

    [Fact]
    public async Task Probe_NoAuthHostPort25_NoAuthMissing() =>
        Assert.Empty(Problems(await ProbeAsync("noauth", Port25)));

    [Theory]
    [MemberData(nameof(Ports))]
    public async Task Probe_EhloAndHeloRefused_EhloRejected(int port)
    {
        var outcome = await ProbeAsync("ehlorejected", Port(port));

        Assert.Equal([(SmtpFindingCodes.EhloRejected, Severity.Critical)], Problems(outcome));
        Assert.Contains("Helo command rejected", outcome.Result.Findings[0].Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Probe_OpenRelayWithRelayTest_OpenRelay()
    {
        var outcome = await ProbeAsync("openrelay", Port25, t => t with { RelayTest = true });

        Assert.Equal([(SmtpFindingCodes.OpenRelay, Severity.Critical)], Problems(outcome));
        var relay = Assert.IsType<Dictionary<string, object?>>(outcome.Result.Evidence["relayTest"]);
        Assert.Equal(true, relay["accepted"]);
        Assert.Contains("C: RSET", Assert.IsAssignableFrom<IReadOnlyList<string>>(outcome.Result.Evidence["transcript"]));
    }

    [Fact]
    public async Task Probe_OpenRelayWithoutRelayTest_SendsNoMailCommand()
    {
        var outcome = await ProbeAsync("openrelay", Port25);

        Assert.Empty(Problems(outcome));
        Assert.DoesNotContain("relayTest", outcome.Result.Evidence.Keys);
        Assert.DoesNotContain(Assert.IsAssignableFrom<IReadOnlyList<string>>(outcome.Result.Evidence["transcript"]),
            l => l.StartsWith("C: MAIL", StringComparison.Ordinal) || l.StartsWith("C: RCPT", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Probe_GoodHostWithRelayTest_RelayRefusedNoFinding()
    {
        var outcome = await ProbeAsync("good", Port25, t => t with { RelayTest = true });

        Assert.Empty(Problems(outcome));
        var relay = Assert.IsType<Dictionary<string, object?>>(outcome.Result.Evidence["relayTest"]);
        Assert.Equal(false, relay["accepted"]);
        Assert.StartsWith("554", (string)relay["rcptTo"]!, StringComparison.Ordinal);
        Assert.DoesNotContain(Assert.IsAssignableFrom<IReadOnlyList<string>>(outcome.Result.Evidence["transcript"]), l => l.StartsWith("C: DATA", StringComparison.Ordinal));
    }

    [Fact]
    public async Task Probe_NothingListening_ConnectRefused()
    {
        var host = new MailHost("mx.down.smtp.test", 10, [Peers.Address(10, 99)]);
        var outcome = await ProbeAsync(host, Port25, "down.smtp.test");

        Assert.Equal([(SmtpFindingCodes.ConnectRefused, Severity.Critical)], Problems(outcome));
        Assert.Null(outcome.Address);
        Assert.False(outcome.ConnectTimedOut);
    }

    [Fact]
    public async Task Probe_FirstAddressRefuses_TriesTheNext()
    {
        var host = new MailHost("mx.fallback.smtp.test", 10, [Peers.Address(10, 98), Address("good")]);
        var outcome = await ProbeAsync(host, Port25, "fallback.smtp.test");

        Assert.Empty(Problems(outcome));
        Assert.Equal(Address("good"), outcome.Address);
        Assert.Equal(2, Assert.IsAssignableFrom<IReadOnlyList<string>>(outcome.Result.Evidence["connectAttempts"]).Count);
    }
}
