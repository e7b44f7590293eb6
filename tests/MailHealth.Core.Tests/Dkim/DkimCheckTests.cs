using MailHealth.Checks;
using MailHealth.Dkim;
using MailHealth.Dns;
using MailHealth.Testing;
using MailHealth.Testing.Dns;

namespace MailHealth.Core.Tests.Dkim;

/// <summary>The dkim:SELECTOR checks against the keys Knot serves (eng/peers/zones/auth.test.zone.in).</summary>
public sealed class DkimCheckTests
{
    private const string Domain = "keys.auth.test";

    private static Task<IReadOnlyList<CheckResult>> RunAsync(string domain, IReadOnlyList<string> selectors, DnsResolver? dns = null) =>
        new DkimCheck().RunAsync(
            Peers.Context(Peers.Target(domain, t => t with { DkimSelectors = selectors }), dns: dns),
            CancellationToken.None);

    private static async Task<CheckResult> SelectorAsync(string selector) => Assert.Single(await RunAsync(Domain, [selector]));

    private static List<string> Codes(CheckResult result) => [.. result.Findings.Select(f => f.Code)];

    [Theory]
    [InlineData("rsa2048", "rsa", 2048)]
    [InlineData("rsa4096", "rsa", 4096)]
    [InlineData("ed25519", "ed25519", 256)]
    [InlineData("pkcs1", "rsa", 2048)]
    [InlineData("nov", "rsa", 2048)]
    [InlineData("spaced", "rsa", 2048)]
    [InlineData("alias", "rsa", 2048)]
    [InlineData("svcemail", "rsa", 2048)]
    [InlineData("sha256", "rsa", 2048)]
    [InlineData("strict", "rsa", 2048)]
    [InlineData("many", "rsa", 2048)]
    [InlineData("big", "rsa", 2048)]
    public async Task Run_GoodKey_PassesWithKeyTypeAndSize(string selector, string type, int bits)
    {
        var result = await SelectorAsync(selector);

        Assert.Empty(result.Findings);
        Assert.Equal(CheckStatus.Pass, result.Status);
        Assert.Equal($"dkim:{selector}", result.Id);
        Assert.Equal("dkim", result.Kind);
        Assert.Equal(selector, result.Subject);
        Assert.Equal(type, result.Evidence["keyType"]);
        Assert.Equal(bits, result.Evidence["keyBits"]);
        Assert.Equal(bits, result.Metrics["keyBits"]);
        Assert.Equal($"{selector}._domainkey.{Domain}", result.Evidence["name"]);
    }

    [Fact]
    public async Task Run_GoodKey_EvidenceHasTheRecordAndItsTags()
    {
        var result = await SelectorAsync("spaced");

        var record = Assert.IsType<IReadOnlyDictionary<string, object?>>(Assert.Single(Assert.IsAssignableFrom<IEnumerable<object>>(result.Evidence["records"])), exactMatch: false);
        var tags = Assert.IsAssignableFrom<IReadOnlyDictionary<string, string>>(record["tags"]);
        Assert.Equal("DKIM1", tags["v"]);
        Assert.Equal("some thing", tags["x-future"]);
        Assert.StartsWith("  v = DKIM1", (string)record["text"]!, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Run_NoRecordAtSelector_IsKeyMissing()
    {
        var result = await SelectorAsync("absent");

        var finding = Assert.Single(result.Findings);
        Assert.Equal(DkimFindingCodes.KeyMissing, finding.Code);
        Assert.Equal(Severity.Critical, finding.Severity);
        Assert.Equal("absent", finding.Subject);
        Assert.Equal(CheckStatus.Fail, result.Status);
    }

    [Fact]
    public async Task Run_CnameLoop_IsKeyMissingAndEnds()
    {
        var result = await SelectorAsync("loop1");

        Assert.Equal([DkimFindingCodes.KeyMissing], Codes(result));
    }

    [Fact]
    public async Task Run_EmptyP_IsKeyRevoked()
    {
        var result = await SelectorAsync("revoked");

        Assert.Equal([DkimFindingCodes.KeyRevoked], Codes(result));
        Assert.Equal(CheckStatus.Fail, result.Status);
    }

    [Theory]
    [InlineData("rsa1024", 1024, Severity.Warning, CheckStatus.Warn)]
    [InlineData("rsa512", 512, Severity.Critical, CheckStatus.Fail)]
    public async Task Run_ShortRsaKey_IsKeyWeak(string selector, int bits, Severity severity, CheckStatus status)
    {
        var result = await SelectorAsync(selector);

        var finding = Assert.Single(result.Findings);
        Assert.Equal(DkimFindingCodes.KeyWeak, finding.Code);
        Assert.Equal(severity, finding.Severity);
        Assert.Equal(status, result.Status);
        Assert.Equal(bits, result.Evidence["keyBits"]);
    }

    [Theory]
    [InlineData("nop", "no p= tag")]
    [InlineData("badbase64", "not valid base64")]
    [InlineData("junk", "neither an RSA")]
    [InlineData("edshort", "32 bytes")]
    [InlineData("edspki", "SubjectPublicKeyInfo")]
    [InlineData("rsaed", "Ed25519")]
    [InlineData("unknownk", "unknown key type k=dsa")]
    [InlineData("v2", "v=DKIM2")]
    [InlineData("vlate", "first tag")]
    [InlineData("duptag", "more than once")]
    [InlineData("upper", "no p= tag")]
    [InlineData("notdkim", "not a tag=value pair")]
    [InlineData("hunknown", "h=md5")]
    public async Task Run_MalformedRecord_IsSyntaxError(string selector, string problem)
    {
        var result = await SelectorAsync(selector);

        var finding = Assert.Single(result.Findings, f => f.Code == DkimFindingCodes.SyntaxError);
        Assert.Equal(Severity.Critical, finding.Severity);
        Assert.Contains(problem, finding.Message, StringComparison.Ordinal);
        Assert.Equal(CheckStatus.Fail, result.Status);
    }

    [Fact]
    public async Task Run_Sha1OnlyKey_IsKeySha1Only()
    {
        var result = await SelectorAsync("sha1");

        var finding = Assert.Single(result.Findings);
        Assert.Equal(DkimFindingCodes.KeySha1Only, finding.Code);
        Assert.Equal(Severity.Warning, finding.Severity);
    }

    [Fact]
    public async Task Run_KeyForAnotherService_IsKeyNotForEmail()
    {
        var result = await SelectorAsync("svcother");

        Assert.Equal([DkimFindingCodes.KeyNotForEmail], Codes(result));
        Assert.Equal(CheckStatus.Fail, result.Status);
    }

    [Fact]
    public async Task Run_TestingFlag_IsInfoAndStillPasses()
    {
        var result = await SelectorAsync("testing");

        var finding = Assert.Single(result.Findings);
        Assert.Equal(DkimFindingCodes.TestingMode, finding.Code);
        Assert.Equal(Severity.Info, finding.Severity);
        Assert.Equal(CheckStatus.Pass, result.Status);
    }

    [Fact]
    public async Task Run_TwoRecordsAtOneSelector_IsMultipleRecordsAndInspectsBoth()
    {
        var result = await SelectorAsync("multi");

        Assert.Contains(DkimFindingCodes.MultipleRecords, Codes(result));
        Assert.Contains(DkimFindingCodes.KeyWeak, Codes(result));
        Assert.Equal(2, Assert.IsAssignableFrom<IEnumerable<object>>(result.Evidence["records"]).Count());
    }

    [Fact]
    public async Task Run_SeveralSelectors_OneResultEach()
    {
        var results = await RunAsync(Domain, ["rsa2048", "ed25519", "absent"]);

        Assert.Equal(["dkim:absent", "dkim:ed25519", "dkim:rsa2048"], results.Select(r => r.Id).Order(StringComparer.Ordinal));
        Assert.Equal(CheckStatus.Fail, results.Single(r => r.Id == "dkim:absent").Status);
    }

    [Fact]
    public async Task Run_NoSelectorGiven_GuessesInlineAndReportsWhatItFoundAsInfoOnly()
    {
        var dns = Peers.Resolver();
        // A run's view, as DomainChecker gives each run: a question asked twice is answered once.
        var results = await RunAsync("common.auth.test", [], dns.ForRun());

        var summary = Assert.Single(results, r => r.Id == "dkim");
        Assert.Equal(["default", "selector1", "google"], Assert.IsAssignableFrom<IEnumerable<string>>(summary.Evidence["foundSelectors"]));
        Assert.Equal(DkimCheck.CommonSelectors, Assert.IsAssignableFrom<IEnumerable<string>>(summary.Evidence["triedSelectors"]));
        Assert.StartsWith("guessed", (string)summary.Evidence["mode"]!, StringComparison.Ordinal);
        var guessed = Assert.Single(summary.Findings);
        Assert.Equal(DkimFindingCodes.SelectorsGuessed, guessed.Code);
        Assert.Contains("default, selector1, google", guessed.Message, StringComparison.Ordinal);
        Assert.Equal(["dkim", "dkim:default", "dkim:google", "dkim:selector1"], results.Select(r => r.Id).Order(StringComparer.Ordinal));
        Assert.All(results, r => Assert.Equal(CheckStatus.Pass, r.Status));
        Assert.All(results.SelectMany(r => r.Findings), f => Assert.Equal(Severity.Info, f.Severity));
        Assert.Contains(DkimFindingCodes.KeyWeak, Codes(results.Single(r => r.Id == "dkim:selector1")));
        Assert.Contains(DkimFindingCodes.KeyRevoked, Codes(results.Single(r => r.Id == "dkim:google")));
        Assert.Equal(2048, results.Single(r => r.Id == "dkim:default").Evidence["keyBits"]);
        // _domainkey, then the sixteen common selectors; the found ones are not asked again.
        Assert.Equal(17, dns.QuestionsSent);
    }

    [Fact]
    public async Task Run_NoSelectorGivenAndNoDomainKey_IsAWarningNotASilentPass_AfterTwoQuestions()
    {
        var dns = Peers.Resolver();
        var result = Assert.Single(await RunAsync("bare.auth.test", [], dns));

        Assert.Equal("dkim", result.Id);
        Assert.Equal(CheckStatus.Warn, result.Status);
        var finding = Assert.Single(result.Findings);
        Assert.Equal(DkimFindingCodes.NoSelector, finding.Code);
        Assert.Equal(Severity.Warning, finding.Severity);
        Assert.Contains("_domainkey.bare.auth.test does not exist", finding.Message, StringComparison.Ordinal);
        Assert.Contains("dkimSelectors", finding.Message, StringComparison.Ordinal);
        Assert.Empty(Assert.IsAssignableFrom<IEnumerable<string>>(result.Evidence["foundSelectors"]));
        Assert.DoesNotContain(DkimFindingCodes.KeyMissing, Codes(result));
        // RFC 8020: _domainkey does not exist, and the guard (selector1) agrees.
        Assert.Equal(2, dns.QuestionsSent);
    }

    [Theory]
    [InlineData(DnsFault.Drop, DnsFindingCodes.Timeout)]
    [InlineData(DnsFault.ServerFailure, DnsFindingCodes.ServFail)]
    [InlineData(DnsFault.Garbage, DnsFindingCodes.ServFail)]
    public async Task Run_BrokenDns_IsErrorNotFail(DnsFault mode, string code)
    {
        await using var server = ScriptedDnsServer.Start(mode);

        var result = Assert.Single(await RunAsync(Domain, ["rsa2048"], server.Resolver(Timeout(mode))));

        Assert.Equal(CheckStatus.Error, result.Status);
        Assert.Equal([code], Codes(result));
        Assert.DoesNotContain(DkimFindingCodes.KeyMissing, Codes(result));
    }

    [Fact]
    public async Task Run_NoSelectorGivenAndDnsSilent_IsErrorAfterOneQuestion()
    {
        await using var server = ScriptedDnsServer.Start(DnsFault.Drop);

        var result = Assert.Single(await RunAsync(Domain, [], server.Resolver(Timeout(DnsFault.Drop))));

        Assert.Equal("dkim", result.Id);
        Assert.Equal(CheckStatus.Error, result.Status);
        Assert.Equal([DnsFindingCodes.Timeout], Codes(result));
        Assert.Contains("_domainkey.keys.auth.test", result.Findings[0].Message, StringComparison.Ordinal);
        // The _domainkey question's timeout stops the sweep: no point asking a silent server sixteen more times.
        Assert.Equal(1, server.Queries);
    }

    private static TimeSpan Timeout(DnsFault mode) =>
        mode == DnsFault.Drop ? TimeSpan.FromMilliseconds(300) : TimeSpan.FromSeconds(3);
}
