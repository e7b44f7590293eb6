using System.Net;
using MailHealth.Checks;
using MailHealth.Dns;
using MailHealth.Dnssec;
using MailHealth.Testing;
using MailHealth.Testing.Dns;
using Microsoft.Extensions.Time.Testing;

namespace MailHealth.Core.Tests.Dnssec;

/// <summary>
/// The dnssec check against the child zones of dnssec.test (eng/peers/start.d/92-dnssec.sh): asked
/// through the validating unbound ($MH_NET.45.54), and directly from the signing Knot
/// ($MH_NET.45.53), which does not validate.
/// </summary>
public sealed class DnssecCheckTests
{
    private static DnsResolver Resolver(int d) => new(new DnsResolverOptions
    {
        Servers = [new IPEndPoint(Peers.Address(45, d), 53)],
        Timeout = TimeSpan.FromSeconds(3),
        Retries = 1,
        UseCache = false,
    });

    private static DnsResolver Validating => Resolver(54);

    private static DnsResolver Authoritative => Resolver(53);

    private static async Task<CheckResult> RunAsync(string domain, DnsResolver dns, TimeProvider? time = null) =>
        Assert.Single(await new DnssecCheck().RunAsync(Peers.Context(Peers.Target(domain), time: time, dns: dns), CancellationToken.None));

    [Fact]
    public async Task Run_SignedAndValidated_PassesWithoutFindings()
    {
        var result = await RunAsync("signed.dnssec.test", Validating);

        Assert.Empty(result.Findings);
        Assert.Equal(CheckStatus.Pass, result.Status);
        Assert.Equal(true, result.Evidence["authenticated"]);
        Assert.Equal(1.0, result.Metrics["dsRecords"]);
        Assert.Equal(2.0, result.Metrics["dnskeyRecords"]);
        Assert.True(result.Metrics["signatures"] > 0);
    }

    [Theory]
    [InlineData("expired.dnssec.test")]
    [InlineData("badds.dnssec.test")]
    public async Task Run_BogusChain_IsCriticalBogus(string domain)
    {
        var result = await RunAsync(domain, Validating);

        var finding = Assert.Single(result.Findings);
        Assert.Equal(DnssecFindingCodes.Bogus, finding.Code);
        Assert.Equal(Severity.Critical, finding.Severity);
        Assert.Contains("checking disabled", finding.Message, StringComparison.Ordinal);
        Assert.Equal(CheckStatus.Fail, result.Status);
        Assert.Equal("NoError", result.Evidence["mxCheckingDisabled"]);
    }

    [Theory]
    [InlineData("expired.dnssec.test", "the signatures over its MX records expired at 2020-02-01", "chain of trust")]
    [InlineData("badds.dnssec.test", "so the chain of trust is broken above them: a DS at the parent that matches no DNSKEY", "expired at")]
    public async Task Run_BogusChain_SaysWhichCauseTheSignaturesShow(string domain, string cause, string notSaid)
    {
        // The CD answer comes with its RRSIGs (DO bit): expired ones are the cause; in-date ones
        // put the fault in the chain above them.
        var result = await RunAsync(domain, Validating);

        var finding = Assert.Single(result.Findings);
        Assert.Contains(cause, finding.Message, StringComparison.Ordinal);
        Assert.DoesNotContain(notSaid, finding.Message, StringComparison.Ordinal);
        Assert.NotNull(finding.Evidence!["signaturesExpire"]);
    }

    [Fact]
    public async Task Run_ExpiredSignaturesSeenWithoutValidation_AreBogusToo()
    {
        var result = await RunAsync("expired.dnssec.test", Authoritative);

        var finding = Assert.Single(result.Findings, f => f.Code == DnssecFindingCodes.Bogus);
        Assert.Contains("expired at 2020-02-01", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_SignaturesEndingInTwoDays_AreAWarning()
    {
        var result = await RunAsync("expiring.dnssec.test", Validating);

        var finding = Assert.Single(result.Findings);
        Assert.Equal(DnssecFindingCodes.SignatureExpiring, finding.Code);
        Assert.Equal(Severity.Warning, finding.Severity);
        Assert.Equal(CheckStatus.Warn, result.Status);
    }

    [Fact]
    public async Task Run_SignaturesEndingInThirtyDays_AreAWarningOnlyWhenTheClockIsNearTheEnd()
    {
        // The same signatures judged at a later time: the warning follows the injected clock.
        var time = new FakeTimeProvider(TimeProvider.System.GetUtcNow().AddDays(25));

        var result = await RunAsync("signed.dnssec.test", Validating, time);

        Assert.Equal([DnssecFindingCodes.SignatureExpiring], result.Findings.Select(f => f.Code));
    }

    [Fact]
    public async Task Run_UnsignedZone_IsInfoUnsigned()
    {
        var result = await RunAsync("insecure.dnssec.test", Validating);

        var finding = Assert.Single(result.Findings);
        Assert.Equal(DnssecFindingCodes.Unsigned, finding.Code);
        Assert.Equal(Severity.Info, finding.Severity);
        Assert.Equal(CheckStatus.Pass, result.Status);
    }

    [Fact]
    public async Task Run_SignedZoneThroughAResolverThatDoesNotValidate_IsNotValidated()
    {
        var result = await RunAsync("signed.dnssec.test", Authoritative);

        var finding = Assert.Single(result.Findings);
        Assert.Equal(DnssecFindingCodes.NotValidated, finding.Code);
        Assert.Equal(false, result.Evidence["authenticated"]);
    }

    [Fact]
    public async Task Run_UnsignedTestZone_IsUnsignedNotError()
    {
        var result = await RunAsync("good.mx.test", Peers.Resolver());

        Assert.Equal([DnssecFindingCodes.Unsigned], result.Findings.Select(f => f.Code));
    }

    [Fact]
    public async Task Run_DomainThatDoesNotExist_IsNeitherSignedNorUnsigned()
    {
        // Found by trying the CLI as a user: a mistyped domain was reported as DNSSEC_UNSIGNED.
        // Through the test resolver (no validation), and the validating one (authenticated NXDOMAIN).
        var plain = await RunAsync("nothere.mx.test", Peers.Resolver());
        var validated = await RunAsync("nothere.dnssec.test", Validating);

        Assert.Empty(plain.Findings);
        Assert.Equal(CheckStatus.Pass, plain.Status);
        Assert.Equal(false, plain.Evidence["exists"]);
        Assert.Empty(validated.Findings);
        Assert.Equal(true, validated.Evidence["authenticated"]);
        Assert.Equal(false, validated.Evidence["exists"]);
    }

    [Fact]
    public async Task Run_DsAndDnskeyLookupsFailed_AreIncompleteNotUnsigned()
    {
        // The MX answers, DS and DNSKEY get SERVFAIL: whether the zone is signed is unknown, which
        // is info naming the queries (issue 10, defect 1's rule), not DNSSEC_UNSIGNED nor error.
        var zone = new ScriptedZone()
            .Add("half.example", ScriptedRecord.Mx(10, "mx.half.example"))
            .Fault("half.example", DnsFault.ServerFailure);
        await using var server = ScriptedDnsServer.Start(zone);

        var result = await RunAsync("half.example", server.Resolver(TimeSpan.FromSeconds(2)));

        Assert.Equal([DnsFindingCodes.LookupIncomplete, DnsFindingCodes.LookupIncomplete], result.Findings.Select(f => f.Code));
        Assert.Contains(result.Findings, f => f.Message.Contains("DS half.example", StringComparison.Ordinal));
        Assert.Contains(result.Findings, f => f.Message.Contains("DNSKEY half.example", StringComparison.Ordinal));
        Assert.Equal(CheckStatus.Pass, result.Status);
        Assert.Null(result.Error);
    }

    [Fact]
    public void Registration_RunsDnssec() => Assert.Contains(Peers.Checker().Checks, c => c is DnssecCheck);
}
