using System.Text.Json;
using MailHealth.Changes;
using MailHealth.Checks;
using MailHealth.Reports;
using MailHealth.Smtp;
using MailHealth.Targets;

namespace MailHealth.Core.Tests.Changes;

/// <summary>From a report to its fingerprint, on hand-built check results shaped like the checks' evidence.</summary>
public sealed class FingerprintReaderTests
{
    private const string Sha = "738FC56BCFDBCC9502F8A2AC3E6B0FD58F7BB9A9C19D99D0C7311E4403771673";
    private static readonly Target Demo = new() { Id = "demo", Domain = "Demo.Test." };
    private static readonly DateTimeOffset NotAfter = new(2027, 11, 29, 16, 0, 23, TimeSpan.Zero);

    private static CheckResult Check(string id, CheckStatus status, params (string Key, object? Value)[] evidence) => new()
    {
        Id = id,
        Kind = id.Split(':', 2)[0],
        Subject = id.Contains(':', StringComparison.Ordinal) ? id.Split(':', 2)[1] : "demo.test",
        Status = status,
        DurationMs = 1,
        Evidence = evidence.ToDictionary(e => e.Key, e => e.Value),
        Error = status == CheckStatus.Error ? "could not check" : null,
    };

    private static Report Report(Target target, params CheckResult[] checks) => new()
    {
        Target = target,
        StartedAt = NotAfter.AddYears(-1),
        FinishedAt = NotAfter.AddYears(-1),
        Status = MailHealth.Reports.Report.Overall(checks),
        Checks = checks,
    };

    private static Report Report(params CheckResult[] checks) => Report(Demo, checks);

    private static IReadOnlyDictionary<string, object?> Certificate(string host) => new CertificateReport
    {
        Subject = "CN=" + host,
        Issuer = "CN=Test CA",
        DnsNames = [host],
        NotBefore = NotAfter.AddYears(-1),
        NotAfter = NotAfter,
        DaysLeft = 364,
        Trusted = true,
        ChainStatus = [],
        NameMatches = true,
        DnsIdMatches = true,
        HostName = host,
        Sha256 = Sha.ToLowerInvariant(),
    }.ToEvidence();

    private static Report Everything() => Report(
        Check("mx", CheckStatus.Pass, ("records", new object[]
        {
            new { preference = 20, exchange = "MX2.demo.test", addresses = new[] { "192.0.2.2" } },
            new { preference = 10, exchange = "mx1.demo.test.", addresses = new[] { "192.0.2.1" } },
        })),
        Check("smtp:mx1.demo.test:25", CheckStatus.Pass, ("connected", true), ("certificate", Certificate("mx1.demo.test"))),
        Check("spf", CheckStatus.Pass, ("record", "  v=spf1  mx\tip4:192.0.2.0/24 -all ")),
        Check("dkim:mail", CheckStatus.Warn, ("records", new[]
        {
            new Dictionary<string, object?> { ["text"] = "v=DKIM1; p=MIGf", ["keyType"] = "rsa", ["keyBits"] = 1024, ["keySha256"] = "abc123", ["revoked"] = false },
        })),
        Check("dmarc", CheckStatus.Warn, ("record", "v=DMARC1;p=none;  rua = mailto:d@demo.test ;")),
        Check("mta-sts", CheckStatus.Pass,
            ("records", new List<string> { "v=STSv1; id=20261127T000000" }),
            ("id", "20261127T000000"),
            ("certificate", Certificate("mta-sts.demo.test")),
            ("policy", "version: STSv1\r\nmode: enforce\r\nmx: mx2.demo.test\r\nmx:mx1.demo.test\r\n\r\nmax_age: 604800\r\n")),
        Check("tls-rpt", CheckStatus.Pass, ("records", new List<string> { "v=TLSRPTv1;rua=mailto:t@demo.test" })),
        Check("dane:mx1.demo.test", CheckStatus.Pass, ("tlsa", new List<string> { "3 1 1 " + Sha, "2 0 1 " + Sha.ToLowerInvariant() })));

    [Fact]
    public void Read_EverythingReadable_GivesCanonicalValues()
    {
        var print = FingerprintReader.Read(Everything());

        Assert.Equal(
            new Dictionary<string, string>
            {
                ["mx"] = "10 mx1.demo.test, 20 mx2.demo.test",
                ["cert:mx1.demo.test:25"] = $"sha256={Sha.ToLowerInvariant()}; notAfter=2027-11-29T16:00:23Z",
                ["spf"] = "v=spf1 mx ip4:192.0.2.0/24 -all",
                ["dkim:mail"] = "rsa 1024 sha256:abc123",
                ["dmarc"] = "v=DMARC1; p=none; rua=mailto:d@demo.test",
                ["mta-sts"] = "v=STSv1; id=20261127T000000",
                ["mta-sts-policy"] = "max_age: 604800; mode: enforce; mx: mx1.demo.test; mx: mx2.demo.test; version: STSv1",
                ["cert:mta-sts.demo.test:443"] = $"sha256={Sha.ToLowerInvariant()}; notAfter=2027-11-29T16:00:23Z",
                ["tls-rpt"] = "v=TLSRPTv1; rua=mailto:t@demo.test",
                ["tlsa:mx1.demo.test"] = $"2 0 1 {Sha}, 3 1 1 {Sha}",
            }.OrderBy(i => i.Key, StringComparer.Ordinal),
            print.Items.OrderBy(i => i.Key, StringComparer.Ordinal));
        Assert.Empty(print.Unread);
    }

    [Fact]
    public void Read_ReportReadBackFromJson_GivesTheSameFingerprint()
    {
        var report = Everything();
        var stored = JsonSerializer.Deserialize<Report>(ReportJson.Serialize(report), ReportJson.Options)!;

        Assert.IsType<JsonElement>(stored.Checks[0].Evidence["records"]);
        Assert.Equal(FingerprintReader.Read(report).Items, FingerprintReader.Read(stored).Items);
    }

    [Fact]
    public void Read_ChecksInErrorBeforeReading_AreUnreadNotAbsent()
    {
        var print = FingerprintReader.Read(Report(
            Check("mx", CheckStatus.Error, ("query", "MX demo.test: timed out")),
            Check("spf", CheckStatus.Error, ("query", "TXT demo.test: timed out")),
            Check("dmarc", CheckStatus.Error),
            Check("mta-sts", CheckStatus.Error, ("query", "timed out")),
            Check("tls-rpt", CheckStatus.Error),
            Check("dkim:mail", CheckStatus.Error, ("name", "mail._domainkey.demo.test"))));

        Assert.Empty(print.Items);
        Assert.Equal(
            ["cert:*", "cert:mta-sts.demo.test:443", "dkim:mail", "dmarc", "mta-sts", "mta-sts-policy", "mx", "spf", "tls-rpt", "tlsa:*"],
            print.Unread.Order(StringComparer.Ordinal));
        Assert.False(print.Knows("cert:mx1.demo.test:25"));
    }

    [Fact]
    public void Read_MxInErrorWithExplicitHosts_HostItemsStayKnown()
    {
        var target = Demo with { Hosts = ["mx1.demo.test"] };

        var print = FingerprintReader.Read(Report(target, Check("mx", CheckStatus.Error), Check("dane:mx1.demo.test", CheckStatus.Pass, ("tlsa", new List<string>()))));

        Assert.Contains("mx", print.Unread);
        Assert.DoesNotContain("tlsa:*", print.Unread);
        Assert.DoesNotContain("cert:*", print.Unread);
        Assert.True(print.Knows("tlsa:mx1.demo.test"));
        Assert.False(print.Items.ContainsKey("tlsa:mx1.demo.test"));
    }

    [Fact]
    public void Read_SingleItemChecksMissingFromTheReport_AreUnread()
    {
        var print = FingerprintReader.Read(Report(Check("mx", CheckStatus.Pass)));

        Assert.Equal(
            ["cert:mta-sts.demo.test:443", "dmarc", "mta-sts", "mta-sts-policy", "spf", "tls-rpt"],
            print.Unread.Order(StringComparer.Ordinal));
    }

    [Fact]
    public void Read_CheckEndingInErrorAfterReading_KeepsWhatItRead()
    {
        // DANE read the TLSA records, then could not reach port 25 to match them; DMARC read its
        // record, then a report destination did not answer.
        var print = FingerprintReader.Read(Report(
            Check("dane:mx1.demo.test", CheckStatus.Error, ("tlsa", new List<string> { "3 1 1 AA" })),
            Check("dmarc", CheckStatus.Error, ("record", "v=DMARC1; p=reject"))));

        Assert.Equal("3 1 1 AA", print.Items["tlsa:mx1.demo.test"]);
        Assert.Equal("v=DMARC1; p=reject", print.Items["dmarc"]);
    }

    [Fact]
    public void Read_NothingPublished_IsKnownAbsent()
    {
        var print = FingerprintReader.Read(Report(
            Check("mx", CheckStatus.Fail),
            Check("spf", CheckStatus.Warn),
            Check("dmarc", CheckStatus.Warn),
            Check("mta-sts", CheckStatus.Pass, ("records", new List<string>())),
            Check("tls-rpt", CheckStatus.Pass, ("records", new List<string>())),
            Check("dkim:mail", CheckStatus.Fail, ("records", new List<object>()))));

        Assert.Empty(print.Items);
        Assert.Empty(print.Unread);
        Assert.True(print.Knows("mta-sts-policy"));
        Assert.True(print.Knows("cert:mta-sts.demo.test:443"));
    }

    [Theory]
    [InlineData(CheckStatus.Warn, true, false, true)] // connected, no TLS offered: the certificate is gone
    [InlineData(CheckStatus.Fail, false, false, false)] // refused: unknown
    [InlineData(CheckStatus.Fail, true, true, false)] // the TLS handshake broke: unknown
    [InlineData(CheckStatus.Error, true, false, false)] // could not check: unknown
    public void Read_SmtpWithoutCertificate_IsAbsentOnlyAfterACompleteConversation(CheckStatus status, bool connected, bool failed, bool known)
    {
        var evidence = new List<(string, object?)> { ("connected", connected) };
        if (failed)
        {
            evidence.Add(("failure", new Dictionary<string, object?> { ["stage"] = "STARTTLS", ["kind"] = "broken" }));
        }

        var print = FingerprintReader.Read(Report(Check("mx", CheckStatus.Pass), Check("smtp:mx1.demo.test:25", status, [.. evidence])));

        Assert.Equal(known, print.Knows("cert:mx1.demo.test:25"));
        Assert.False(print.Items.ContainsKey("cert:mx1.demo.test:25"));
    }

    [Fact]
    public void Read_MtaStsPolicyNotFetched_PolicyAndItsCertificateUnread()
    {
        var print = FingerprintReader.Read(Report(
            Check("mx", CheckStatus.Pass),
            Check("mta-sts", CheckStatus.Fail, ("records", new List<string> { "v=STSv1; id=1" }), ("id", "1"), ("httpStatus", 404))));

        Assert.Equal("v=STSv1; id=1", print.Items["mta-sts"]);
        Assert.False(print.Knows("mta-sts-policy"));
        Assert.False(print.Knows("cert:mta-sts.demo.test:443"));
        Assert.True(print.Knows("mta-sts"));
    }

    [Fact]
    public void Read_DkimDiscovery_FailedOrPartlyUnanswered()
    {
        var failed = FingerprintReader.Read(Report(Check("mx", CheckStatus.Pass), Check("dkim", CheckStatus.Error)));
        var partly = FingerprintReader.Read(Report(
            Check("mx", CheckStatus.Pass),
            Check("dkim", CheckStatus.Pass, ("unansweredSelectors", new List<string> { "Selector2" })),
            Check("dkim:selector1", CheckStatus.Pass, ("records", new[] { new Dictionary<string, object?> { ["revoked"] = true } }))));

        Assert.False(failed.Knows("dkim:selector1"));
        Assert.Equal("revoked", partly.Items["dkim:selector1"]);
        Assert.False(partly.Knows("dkim:selector2"));
        Assert.True(partly.Knows("dkim:default"));
    }

    [Fact]
    public void Read_RememberedSelectorsNoLongerChecked_AreUnreadNotRemoved()
    {
        var print = FingerprintReader.Read(Report(
            Check("mx", CheckStatus.Pass),
            Check("dkim", CheckStatus.Warn, ("uncheckedSelectors", new List<string> { "brand" }))));

        Assert.False(print.Knows("dkim:brand"));
        Assert.True(print.Knows("dkim:default"));
    }

    [Theory]
    [InlineData("smtp", "cert:mx1.demo.test:25")]
    [InlineData("dane", "tlsa:mx1.demo.test")]
    [InlineData("dkim", "dkim:mail")]
    public void Read_WholeKindInError_LeavesItsFamilyUnread(string kind, string item)
    {
        // What DomainChecker reports when a check throws: one error result, its kind as id.
        var print = FingerprintReader.Read(Report(Check("mx", CheckStatus.Pass, ("records", new[] { new { preference = 10, exchange = "mx1.demo.test" } })), Check(kind, CheckStatus.Error)));

        Assert.Contains(item.Split(':')[0] + ":*", print.Unread);
        Assert.False(print.Knows(item));
        Assert.True(print.Knows("mx"));
    }

    [Fact]
    public void Read_ImplicitAndNullMx()
    {
        var implicitMx = FingerprintReader.Read(Report(Check("mx", CheckStatus.Pass, ("implicitMx", true), ("addresses", new[] { "192.0.2.1" }))));
        var nullMx = FingerprintReader.Read(Report(Check("mx", CheckStatus.Pass, ("records", new[] { new { Preference = 0, Exchange = "." } }))));

        Assert.Equal("(implicit) demo.test", implicitMx.Items["mx"]);
        Assert.Equal("0 .", nullMx.Items["mx"]);
    }
}
