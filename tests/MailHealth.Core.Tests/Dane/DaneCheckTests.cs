using System.Net;
using System.Security.Cryptography.X509Certificates;
using MailHealth.Checks;
using MailHealth.Dane;
using MailHealth.Dns;
using MailHealth.Smtp;
using MailHealth.Targets;
using MailHealth.Testing;

namespace MailHealth.Core.Tests.Dane;

/// <summary>
/// The dane:HOST checks against the TLSA records of the transport.test zone, computed by Knot's
/// start script from the peers' certificates ($MH_STATE/certs). The SMTP probe's outcome is built
/// from the same certificate files, as the probe would report it (DER, leaf first).
/// </summary>
public sealed class DaneCheckTests
{
    private static readonly string[] AllCodes =
    [
        DaneFindingCodes.TlsaMismatch, DaneFindingCodes.TlsaInvalid, DaneFindingCodes.TlsaUsageUnusable,
        DaneFindingCodes.TlsUnavailable,
    ];

    /// <summary>A chain as the SMTP probe reports it, from a PEM file of the peers (leaf first).</summary>
    private static IReadOnlyList<byte[]> Chain(string name)
    {
        var certificates = new X509Certificate2Collection();
        certificates.ImportFromPemFile(Path.Combine(Peers.State, "certs", name + ".chain.pem"));
        return [.. certificates.Select(c => c.RawData)];
    }

    private static SmtpProbeOutcome Probe(string host, IReadOnlyList<byte[]> chain, int port = 25, bool connected = true, bool timedOut = false) => new()
    {
        Host = new MailHost(host, 10, [Peers.Address(42, 1)]),
        Port = new PortSpec(port, PortSpec.WellKnownRole(port) ?? SmtpRole.Smtp),
        Address = connected ? Peers.Address(42, 1) : null,
        TlsEstablished = chain.Count > 0,
        CertificateChain = chain,
        ConnectTimedOut = timedOut,
        Result = new CheckResultBuilder($"smtp:{host}:{port}", "smtp", $"{host}:{port}", TimeProvider.System).Build(),
    };

    private static Task<CheckResult> CheckAsync(string host, params SmtpProbeOutcome[] probes) => CheckAsync(Peers.Resolver(), host, probes);

    private static async Task<CheckResult> CheckAsync(DnsResolver dns, string host, params SmtpProbeOutcome[] probes)
    {
        var services = CheckServices.Default with { ProbeSmtp = (_, _) => Task.FromResult<IReadOnlyList<SmtpProbeOutcome>>(probes) };
        var target = Peers.Target("dane.transport.test", t => t with { Hosts = [host] });
        var context = new CheckContext(target, dns, Peers.Options(), TimeProvider.System, services, CancellationToken.None);
        return Assert.Single(await new DaneCheck().RunAsync(context, CancellationToken.None));
    }

    /// <summary>The validating unbound in front of the signed dnssec.test zone (eng/peers/start.d/92-dnssec.sh).</summary>
    private static DnsResolver ValidatingResolver() => new(new DnsResolverOptions
    {
        Servers = [new IPEndPoint(Peers.Address(45, 54), 53)],
        Timeout = TimeSpan.FromSeconds(2),
        Retries = 1,
        UseCache = false,
    });

    private static Task<CheckResult> CheckWithLeafAsync(string name)
    {
        var host = name + ".dane.transport.test";
        return CheckAsync(host, Probe(host, Chain("dane-leaf")));
    }

    private static List<string> Codes(CheckResult result) => [.. result.Findings.Select(f => f.Code)];

    [Theory]
    [InlineData("ee-cert-exact")]
    [InlineData("ee-spki-sha256")]
    [InlineData("ee-cert-sha512")]
    [InlineData("ee-spki-exact")]
    [InlineData("ta-cert-sha256")]
    [InlineData("ta-spki-sha512")]
    [InlineData("rollover")]
    public async Task Check_MatchingTlsa_PassesWithTheMatchedRecordAsEvidence(string name)
    {
        var result = await CheckWithLeafAsync(name);

        Assert.Equal(CheckStatus.Pass, result.Status);
        Assert.All(AllCodes, code => Assert.DoesNotContain(code, Codes(result)));
        Assert.Equal($"dane:{name}.dane.transport.test", result.Id);
        var match = Assert.Single(Assert.IsAssignableFrom<IEnumerable<IReadOnlyDictionary<string, object?>>>(result.Evidence["matches"]));
        Assert.NotNull(match["record"]);
    }

    [Fact]
    public async Task Check_TlsaOfAnotherCertificate_IsCriticalMismatch()
    {
        var result = await CheckWithLeafAsync("mismatch");

        var finding = Assert.Single(result.Findings, f => f.Code == DaneFindingCodes.TlsaMismatch);
        Assert.Equal(Severity.Critical, finding.Severity);
        Assert.Equal("mismatch.dane.transport.test", finding.Subject);
        Assert.Equal(2, Assert.IsAssignableFrom<IReadOnlyList<string>>(finding.Evidence!["reasons"]).Count);
        Assert.Equal(CheckStatus.Fail, result.Status);
    }

    [Fact]
    public async Task Check_OtherLeafAgainstDaneEe_IsMismatch_AndTheSameLeafIsNot()
    {
        const string host = "ee-spki-sha256.dane.transport.test";

        var other = await CheckAsync(host, Probe(host, Chain("dane-other")));
        var same = await CheckAsync(host, Probe(host, Chain("dane-leaf")));

        Assert.Contains(DaneFindingCodes.TlsaMismatch, Codes(other));
        Assert.DoesNotContain(DaneFindingCodes.TlsaMismatch, Codes(same));
    }

    [Fact]
    public async Task Check_DaneTaMatchingButLeafNotForTheHost_IsMismatch()
    {
        const string host = "ta-wrongname.transport.test";

        var result = await CheckAsync(host, Probe(host, Chain("dane-leaf")));

        var finding = Assert.Single(result.Findings, f => f.Code == DaneFindingCodes.TlsaMismatch);
        Assert.Contains("not valid for", Assert.Single(Assert.IsAssignableFrom<IReadOnlyList<string>>(finding.Evidence!["reasons"])), StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_DaneTaWithoutTheCaInTheChain_IsMismatch()
    {
        const string host = "ta-cert-sha256.dane.transport.test";

        var result = await CheckAsync(host, Probe(host, [Chain("dane-leaf")[0]]));

        Assert.Contains(DaneFindingCodes.TlsaMismatch, Codes(result));
    }

    [Fact]
    public async Task Check_UnsignedZone_ReportsNotDnssecAsInfoWithEvidence()
    {
        var result = await CheckWithLeafAsync("ee-spki-sha256");

        var finding = Assert.Single(result.Findings, f => f.Code == DaneFindingCodes.NotDnssec);
        Assert.Equal(Severity.Info, finding.Severity);
        // Issue 10: DANE findings refer to the dnssec check, which says why.
        Assert.Contains("see the dnssec check", finding.Message, StringComparison.Ordinal);
        Assert.Equal(false, result.Evidence["dnssecAuthenticated"]);
    }

    [Fact]
    public async Task Check_NoTlsa_HasNoFindingsAndDoesNotNeedTheProbe()
    {
        var result = await CheckAsync("none.dane.transport.test");

        Assert.Empty(result.Findings);
        Assert.DoesNotContain(DaneFindingCodes.NotDnssec, Codes(result));
        Assert.Equal(CheckStatus.Pass, result.Status);
    }

    [Fact]
    public async Task Check_PkixUsagesOnly_IsInfoUnusableAndNotMatched()
    {
        var result = await CheckWithLeafAsync("pkix");

        var finding = Assert.Single(result.Findings, f => f.Code == DaneFindingCodes.TlsaUsageUnusable);
        Assert.Equal(Severity.Info, finding.Severity);
        Assert.Equal(2, Assert.IsAssignableFrom<IReadOnlyList<string>>(finding.Evidence!["records"]).Count);
        Assert.DoesNotContain(DaneFindingCodes.TlsaMismatch, Codes(result));
        Assert.Equal(CheckStatus.Pass, result.Status);
    }

    [Fact]
    public async Task Check_GarbageTlsa_IsInvalidWarningNotACrash()
    {
        var result = await CheckWithLeafAsync("garbage");

        var finding = Assert.Single(result.Findings, f => f.Code == DaneFindingCodes.TlsaInvalid);
        Assert.Equal(Severity.Warning, finding.Severity);
        Assert.Contains("not 32", finding.Message, StringComparison.Ordinal);
        Assert.Contains("unknown certificate usage 9", finding.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(DaneFindingCodes.TlsaMismatch, Codes(result));
    }

    [Fact]
    public async Task Check_GarbageBesideAMatchingRecord_WarnsButMatches()
    {
        var result = await CheckWithLeafAsync("garbage-mixed");

        Assert.Contains(DaneFindingCodes.TlsaInvalid, Codes(result));
        Assert.DoesNotContain(DaneFindingCodes.TlsaMismatch, Codes(result));
        Assert.Equal(CheckStatus.Warn, result.Status);
    }

    [Fact]
    public async Task Check_TlsaRdataTooShortToParse_IsAFindingNotAnException()
    {
        var result = await CheckWithLeafAsync("short");

        var finding = Assert.Single(result.Findings);
        Assert.Equal(DnsFindingCodes.ServFail, finding.Code);
        Assert.Equal(CheckStatus.Error, result.Status);
        Assert.Contains("TLSA _25._tcp.short.dane.transport.test", finding.Message, StringComparison.Ordinal);
        Assert.Contains("too short to parse", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Check_Port25WithoutTls_IsCriticalTlsUnavailable()
    {
        const string host = "ee-spki-sha256.dane.transport.test";

        var result = await CheckAsync(host, Probe(host, []));

        Assert.Equal(Severity.Critical, Assert.Single(result.Findings, f => f.Code == DaneFindingCodes.TlsUnavailable).Severity);
        Assert.DoesNotContain(DaneFindingCodes.TlsaMismatch, Codes(result));
    }

    [Fact]
    public async Task Check_Port25ProbeCutShortOnOurSide_IsErrorNotTlsUnavailable()
    {
        const string host = "ee-spki-sha256.dane.transport.test";
        var cut = Probe(host, []) with
        {
            Result = new CheckResultBuilder($"smtp:{host}:25", "smtp", $"{host}:25", TimeProvider.System).MarkError("the run ran out of time").Build(),
        };

        var result = await CheckAsync(host, cut);

        Assert.Equal(CheckStatus.Error, result.Status);
        Assert.DoesNotContain(DaneFindingCodes.TlsUnavailable, Codes(result));
    }

    [Fact]
    public async Task Check_Port25TimedOut_IsErrorNotFail()
    {
        const string host = "ee-spki-sha256.dane.transport.test";

        var result = await CheckAsync(host, Probe(host, [], connected: false, timedOut: true));

        Assert.Equal(CheckStatus.Error, result.Status);
        Assert.DoesNotContain(DaneFindingCodes.TlsUnavailable, Codes(result));
        Assert.DoesNotContain(DaneFindingCodes.TlsaMismatch, Codes(result));
    }

    [Fact]
    public async Task Check_OnlySubmissionPortProbed_IsErrorAndIgnoresThatChain()
    {
        const string host = "mismatch.dane.transport.test";

        var result = await CheckAsync(host, Probe(host, Chain("dane-leaf"), port: 587));

        Assert.Equal(CheckStatus.Error, result.Status);
        Assert.DoesNotContain(DaneFindingCodes.TlsaMismatch, Codes(result));
    }

    [Fact]
    public async Task Check_DomainWithTwoMxHosts_GivesOneResultPerHost()
    {
        var services = CheckServices.Default with
        {
            ProbeSmtp = (_, _) => Task.FromResult<IReadOnlyList<SmtpProbeOutcome>>(
            [
                Probe("ee-spki-sha256.dane.transport.test", Chain("dane-leaf")),
                Probe("mismatch.dane.transport.test", Chain("dane-leaf")),
            ]),
        };
        var context = new CheckContext(Peers.Target("dane.transport.test"), Peers.Resolver(), Peers.Options(), TimeProvider.System, services, CancellationToken.None);

        var results = await new DaneCheck().RunAsync(context, CancellationToken.None);

        Assert.Equal(["dane:ee-spki-sha256.dane.transport.test", "dane:mismatch.dane.transport.test"], results.Select(r => r.Id).Order());
        Assert.Equal(CheckStatus.Fail, results.Single(r => r.Subject == "mismatch.dane.transport.test").Status);
    }

    [Fact]
    public async Task Check_DnsServerDown_IsErrorNotFail()
    {
        const string host = "ee-spki-sha256.dane.transport.test";
        var dns = new DnsResolver(new DnsResolverOptions
        {
            Servers = [new IPEndPoint(Peers.Address(49, 53), 53)],
            Timeout = TimeSpan.FromMilliseconds(500),
            Retries = 0,
            UseCache = false,
        });
        var target = Peers.Target("dane.transport.test", t => t with { Hosts = [Peers.Address(42, 2).ToString()] });
        var context = new CheckContext(target, dns, Peers.Options(), TimeProvider.System, CheckServices.Default, CancellationToken.None);

        // Address literals have no TLSA base domain: nothing to check.
        Assert.Empty(await new DaneCheck().RunAsync(context, CancellationToken.None));

        var named = new CheckContext(Peers.Target("dane.transport.test", t => t with { Hosts = [host] }), dns, Peers.Options(), TimeProvider.System, CheckServices.Default, CancellationToken.None);
        var result = Assert.Single(await new DaneCheck().RunAsync(named, CancellationToken.None));
        Assert.Equal(CheckStatus.Error, result.Status);
    }

    [Fact]
    public async Task Check_SignedZoneThroughValidatingResolver_IsAuthenticatedWithoutNotDnssec()
    {
        const string host = "mx.dnssec.test";

        var result = await CheckAsync(ValidatingResolver(), host, Probe(host, Chain("dane-leaf")));

        Assert.Equal(true, result.Evidence["dnssecAuthenticated"]);
        Assert.Empty(result.Findings);
        Assert.Equal(CheckStatus.Pass, result.Status);
    }

    [Fact]
    public async Task Check_SignedZoneMismatch_IsCriticalAndAuthenticated()
    {
        const string host = "other.dnssec.test";

        var result = await CheckAsync(ValidatingResolver(), host, Probe(host, Chain("dane-leaf")));

        Assert.Equal(true, result.Evidence["dnssecAuthenticated"]);
        Assert.Equal([DaneFindingCodes.TlsaMismatch], Codes(result));
    }

    [Fact]
    public async Task Check_SignedZoneWithoutTlsa_HasNoFindings()
    {
        var result = await CheckAsync(ValidatingResolver(), "notlsa.dnssec.test");

        Assert.Empty(result.Findings);
    }
}
