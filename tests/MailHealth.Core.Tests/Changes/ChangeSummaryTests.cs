using MailHealth.Changes;

namespace MailHealth.Core.Tests.Changes;

/// <summary>The one-line summaries, item kind by item kind.</summary>
public sealed class ChangeSummaryTests
{
    private const string OldSha = "cd34ab12ef5600112233445566778899aabbccddeeff00112233445566778899";
    private const string NewSha = "ab12cd34ef5600112233445566778899aabbccddeeff00112233445566778899";

    [Theory]
    [InlineData(
        "v=spf1 include:mail.vendor.example mx -all",
        "v=spf1 ip4:192.0.2.0/24 mx -all",
        "SPF changed: include:mail.vendor.example removed; ip4:192.0.2.0/24 added")]
    [InlineData("v=spf1 mx ~all", "v=spf1 mx -all", "SPF changed: ~all -> -all")]
    [InlineData("v=spf1 mx a -all", "v=spf1 a mx -all", "SPF changed: terms reordered")]
    [InlineData("v=spf1 mx -all", "v=spf1 mx include:_spf.vendor.example ip6:2001:db8::/32 -all", "SPF changed: include:_spf.vendor.example added; ip6:2001:db8::/32 added")]
    public void Spf_TermByTerm(string before, string after, string expected) =>
        Assert.Equal(expected, ChangeSummary.Describe("spf", before, after));

    [Theory]
    [InlineData("10 mx1.example.com", "10 mx1.example.com, 20 mx2.example.com", "MX changed: mx2.example.com added")]
    [InlineData("10 mx1.example.com, 20 mx2.example.com", "10 mx1.example.com", "MX changed: mx2.example.com removed")]
    [InlineData("10 mx1.example.com, 20 mx2.example.com", "10 mx2.example.com, 20 mx1.example.com", "MX changed: mx2.example.com preference 20 -> 10; mx1.example.com preference 10 -> 20")]
    [InlineData("(implicit) example.com", "10 mx.example.com", "MX changed: example.com removed; mx.example.com added")]
    public void Mx_HostsAddedRemovedAndMoved(string before, string after, string expected) =>
        Assert.Equal(expected, ChangeSummary.Describe("mx", before, after));

    [Theory]
    [InlineData("v=DMARC1; p=reject; rua=mailto:d@example.com", "v=DMARC1; p=none; rua=mailto:d@example.com", "DMARC changed: p=reject -> p=none")]
    [InlineData("v=DMARC1; p=quarantine; pct=50", "v=DMARC1; p=quarantine; sp=reject", "DMARC changed: pct=50 removed; sp=reject added")]
    public void Dmarc_TagByTag(string before, string after, string expected) =>
        Assert.Equal(expected, ChangeSummary.Describe("dmarc", before, after));

    [Fact]
    public void TlsRpt_TagByTag() =>
        Assert.Equal(
            "TLS-RPT changed: rua=mailto:tls@example.com -> rua=mailto:tls@vendor.example",
            ChangeSummary.Describe("tls-rpt", "v=TLSRPTv1; rua=mailto:tls@example.com", "v=TLSRPTv1; rua=mailto:tls@vendor.example"));

    [Fact]
    public void MtaStsRecord_IdOnly_SaysThePolicyIdChanged() =>
        Assert.Equal(
            "MTA-STS policy id changed: 20261127T000000 -> 20261201T000000",
            ChangeSummary.Describe("mta-sts", "v=STSv1; id=20261127T000000", "v=STSv1; id=20261201T000000"));

    [Fact]
    public void MtaStsPolicy_ModeAndMxPatterns() =>
        Assert.Equal(
            "MTA-STS policy changed: mode: enforce -> testing; mx: mx2.example.com added",
            ChangeSummary.Describe(
                "mta-sts-policy",
                "max_age: 604800; mode: enforce; mx: mx1.example.com; version: STSv1",
                "max_age: 604800; mode: testing; mx: mx1.example.com; mx: mx2.example.com; version: STSv1"));

    [Fact]
    public void Certificate_NewExpiryAndFingerprint() =>
        Assert.Equal(
            "certificate of mx1.example.com:25 changed: expires 2027-01-10 (was 2026-12-01), fingerprint ab12cd34ef56\u2026 (was cd34ab12ef56\u2026)",
            ChangeSummary.Describe("cert:mx1.example.com:25", $"sha256={OldSha}; notAfter=2026-12-01T00:00:00Z", $"sha256={NewSha}; notAfter=2027-01-10T12:00:00Z"));

    [Fact]
    public void Certificate_SameDayReissue_ShowsTheTimes() =>
        Assert.Equal(
            "certificate of mx1.example.com:465 changed: expires 2027-01-10 12:00:00Z (was 2027-01-10 08:00:00Z), fingerprint ab12cd34ef56\u2026 (was cd34ab12ef56\u2026)",
            ChangeSummary.Describe("cert:mx1.example.com:465", $"sha256={OldSha}; notAfter=2027-01-10T08:00:00Z", $"sha256={NewSha}; notAfter=2027-01-10T12:00:00Z"));

    [Fact]
    public void Certificate_AppearedAndNoLongerPresented()
    {
        Assert.Equal(
            "certificate of mx1.example.com:25 appeared: fingerprint ab12cd34ef56\u2026, expires 2027-01-10",
            ChangeSummary.Describe("cert:mx1.example.com:25", null, $"sha256={NewSha}; notAfter=2027-01-10T12:00:00Z"));
        Assert.Equal(
            "certificate of mx1.example.com:25 no longer presented (was fingerprint ab12cd34ef56\u2026, expires 2027-01-10)",
            ChangeSummary.Describe("cert:mx1.example.com:25", $"sha256={NewSha}; notAfter=2027-01-10T12:00:00Z", null));
    }

    [Fact]
    public void Dkim_ReplacedRevokedAddedRemoved()
    {
        var old = $"rsa 1024 sha256:{OldSha}";
        var fresh = $"rsa 2048 sha256:{NewSha}";

        Assert.Equal("DKIM key mail replaced: rsa 2048 sha256:ab12cd34ef56\u2026 (was rsa 1024 sha256:cd34ab12ef56\u2026)", ChangeSummary.Describe("dkim:mail", old, fresh));
        Assert.Equal("DKIM key mail revoked (was rsa 1024 sha256:cd34ab12ef56\u2026)", ChangeSummary.Describe("dkim:mail", old, "revoked"));
        Assert.Equal("DKIM key s2 added: rsa 2048 sha256:ab12cd34ef56\u2026", ChangeSummary.Describe("dkim:s2", null, fresh));
        Assert.Equal("DKIM key mail removed (was rsa 1024 sha256:cd34ab12ef56\u2026)", ChangeSummary.Describe("dkim:mail", old, null));
    }

    [Fact]
    public void Tlsa_AddedAndRemoved()
    {
        var current = "3 1 1 " + OldSha.ToUpperInvariant();
        var next = "3 1 1 " + NewSha.ToUpperInvariant();

        Assert.Equal(
            "TLSA of mx1.example.com changed: 3 1 1 AB12CD34EF56\u2026 added; 3 1 1 CD34AB12EF56\u2026 removed",
            ChangeSummary.Describe("tlsa:mx1.example.com", current, next));
        Assert.Equal(
            "TLSA of mx1.example.com changed: 3 1 1 AB12CD34EF56\u2026 added",
            ChangeSummary.Describe("tlsa:mx1.example.com", current, $"{current}, {next}"));
        Assert.Equal("TLSA of mx1.example.com added: 3 1 1 AB12CD34EF56\u2026", ChangeSummary.Describe("tlsa:mx1.example.com", null, next));
        Assert.Equal("TLSA of mx1.example.com removed (was 3 1 1 CD34AB12EF56\u2026)", ChangeSummary.Describe("tlsa:mx1.example.com", current, null));
    }

    [Theory]
    [InlineData("dmarc", null, "v=DMARC1; p=none", "DMARC appeared: v=DMARC1; p=none")]
    [InlineData("spf", "v=spf1 -all", null, "SPF disappeared (was v=spf1 -all)")]
    [InlineData("mta-sts", "v=STSv1; id=1", null, "MTA-STS record disappeared (was v=STSv1; id=1)")]
    [InlineData("mx", null, "10 mx.example.com", "MX appeared: 10 mx.example.com")]
    public void Item_AppearedOrDisappeared(string item, string? before, string? after, string expected) =>
        Assert.Equal(expected, ChangeSummary.Describe(item, before, after));

    [Fact]
    public void Describe_AbsentBeforeAndAfter_IsRefused() =>
        Assert.Throws<ArgumentException>(() => ChangeSummary.Describe("spf", null, null));
}
