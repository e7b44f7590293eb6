using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using MailHealth.Checks;
using MailHealth.Smtp;
using Microsoft.Extensions.Time.Testing;

namespace MailHealth.Core.Tests.Smtp;

/// <summary>The TLS_CERT_* rules every certificate-presenting server shares (SMTP, the MTA-STS policy host).</summary>
public sealed class CertificateFindingsTests
{
    private static readonly DateTimeOffset Now = new(2026, 11, 27, 12, 0, 0, TimeSpan.Zero);

    private static CertificateReport Report(bool trusted = true, int validFromDays = -10, bool nameMatches = true, bool dnsIdMatches = true) => new()
    {
        Subject = "CN=mx.example.test",
        Issuer = "CN=Test CA",
        DnsNames = dnsIdMatches ? ["mx.example.test"] : [],
        NotBefore = Now.AddDays(validFromDays),
        NotAfter = Now.AddDays(validFromDays + 365),
        DaysLeft = validFromDays + 365,
        NotYetValid = validFromDays > 0,
        Trusted = trusted,
        ChainStatus = trusted ? [] : ["UntrustedRoot: self-signed"],
        NameMatches = nameMatches,
        DnsIdMatches = dnsIdMatches,
        HostName = "mx.example.test",
        Sha256 = "00",
    };

    private static IReadOnlyList<Finding> Findings(CertificateReport cert, Severity nameAndTrust = Severity.Critical, bool dnsIdOnly = false)
    {
        var result = new CheckResultBuilder("smtp:mx.example.test:587", "smtp", "mx.example.test:587", new FakeTimeProvider(Now));
        CertificateFindings.Add(result, cert, new CheckOptions(), nameAndTrust, dnsIdOnly);
        return result.Findings;
    }

    [Fact]
    public void Add_GoodCertificate_NoFinding()
    {
        Assert.Empty(Findings(Report()));
    }

    [Theory]
    [InlineData(Severity.Critical)]
    [InlineData(Severity.Warning)]
    public void Add_NotYetValidButTrusted_IsUntrustedAtTheNameAndTrustSeverity(Severity severity)
    {
        var finding = Assert.Single(Findings(Report(validFromDays: 3), severity));

        Assert.Equal(SmtpFindingCodes.CertUntrusted, finding.Code);
        Assert.Equal(severity, finding.Severity);
        Assert.Contains("not valid before 2026-11-30", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Add_NotYetValidAndUntrusted_OneUntrustedFinding()
    {
        var finding = Assert.Single(Findings(Report(trusted: false, validFromDays: 3)));

        Assert.Contains("trusted root", finding.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Add_NameOnlyInTheCommonName_MismatchOnlyWhereDnsIdsAreRequired()
    {
        var cnOnly = Report(nameMatches: true, dnsIdMatches: false);

        Assert.Empty(Findings(cnOnly));
        Assert.Equal(SmtpFindingCodes.CertNameMismatch, Assert.Single(Findings(cnOnly, dnsIdOnly: true)).Code);
    }

    [Fact]
    public void Inspect_CertificateNamingTheHostOnlyInItsCn_MatchesTheNameButNoDnsId()
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=mx.example.test", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        using var leaf = request.CreateSelfSigned(Now.AddDays(-1), Now.AddDays(30));

        var report = CertificateInspector.Inspect(leaf, [], "mx.example.test", [], Now);

        Assert.True(report.NameMatches);
        Assert.False(report.DnsIdMatches);
    }

    [Theory]
    [InlineData("mx.example.test", true)]
    [InlineData("MX.Example.Test.", true)] // case and the root's dot do not matter
    [InlineData("other.example.test", false)]
    public void Inspect_CertificateWithTheHostInItsSubjectAltName_MatchesBothOrNeither(string hostName, bool matches)
    {
        using var key = RSA.Create(2048);
        var request = new CertificateRequest("CN=something-else.example.test", key, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1);
        var names = new SubjectAlternativeNameBuilder();
        names.AddDnsName("mx.example.test");
        request.CertificateExtensions.Add(names.Build());
        using var leaf = request.CreateSelfSigned(Now.AddDays(-1), Now.AddDays(30));

        var report = CertificateInspector.Inspect(leaf, [], hostName, [], Now);

        Assert.Equal(matches, report.DnsIdMatches);
        // With a subject alternative name present the common name is not a fallback (RFC 6125 section 6.4.4).
        Assert.Equal(matches, report.NameMatches);
    }
}
