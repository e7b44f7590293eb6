using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using MailHealth.Dane;

namespace MailHealth.Core.Tests.Dane;

/// <summary>
/// TLSA matching (RFC 6698 section 2.1, RFC 7672 section 3.1) on certificates made here, so that
/// each selector and matching type is checked against data computed independently of the peers.
/// </summary>
public sealed class TlsaMatcherTests
{
    private static readonly (byte[] Ca, byte[] Leaf) Chain = MakeChain("mx.example.test");

    private static (byte[] Ca, byte[] Leaf) MakeChain(string host)
    {
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest("CN=Matcher Test CA", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        var now = new DateTimeOffset(2026, 1, 1, 0, 0, 0, TimeSpan.Zero);
        using var ca = caRequest.CreateSelfSigned(now, now.AddYears(1));
        using var leafKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var leafRequest = new CertificateRequest("CN=" + host, leafKey, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName(host);
        leafRequest.CertificateExtensions.Add(san.Build());
        using var leaf = leafRequest.Create(ca, now, now.AddDays(90), [1, 2, 3]);
        return (ca.RawData, leaf.RawData);
    }

    private static byte[] Spki(byte[] der)
    {
        using var certificate = X509CertificateLoader.LoadCertificate(der);
        return certificate.PublicKey.ExportSubjectPublicKeyInfo();
    }

    private static byte[] Data(byte selector, byte matchingType, byte[] der)
    {
        var selected = selector == 0 ? der : Spki(der);
        return matchingType switch
        {
            0 => selected,
            1 => SHA256.HashData(selected),
            _ => SHA512.HashData(selected),
        };
    }

    [Theory]
    [InlineData(0, 0)]
    [InlineData(0, 1)]
    [InlineData(0, 2)]
    [InlineData(1, 0)]
    [InlineData(1, 1)]
    [InlineData(1, 2)]
    public void FindMatch_DaneEeOfTheLeaf_MatchesEverySelectorAndMatchingType(byte selector, byte matchingType)
    {
        var association = new TlsaAssociation(3, selector, matchingType, Data(selector, matchingType, Chain.Leaf));

        var match = TlsaMatcher.FindMatch([association], [Chain.Leaf, Chain.Ca], "mx.example.test", out _);

        Assert.Same(association, match);
    }

    [Fact]
    public void FindMatch_DaneEeIgnoresNameAndExpiry()
    {
        var association = new TlsaAssociation(3, 1, 1, Data(1, 1, Chain.Leaf));

        Assert.NotNull(TlsaMatcher.FindMatch([association], [Chain.Leaf], "some-other-name.example", out _));
    }

    [Fact]
    public void FindMatch_DaneEeOfTheCa_DoesNotMatch()
    {
        var association = new TlsaAssociation(3, 0, 1, Data(0, 1, Chain.Ca));

        Assert.Null(TlsaMatcher.FindMatch([association], [Chain.Leaf, Chain.Ca], "mx.example.test", out var reasons));
        Assert.Contains("leaf", Assert.Single(reasons), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(0, 1)]
    [InlineData(1, 2)]
    public void FindMatch_DaneTaOfTheCa_MatchesWhenTheNameFits(byte selector, byte matchingType)
    {
        var association = new TlsaAssociation(2, selector, matchingType, Data(selector, matchingType, Chain.Ca));

        Assert.NotNull(TlsaMatcher.FindMatch([association], [Chain.Leaf, Chain.Ca], "mx.example.test", out _));
        Assert.Null(TlsaMatcher.FindMatch([association], [Chain.Leaf, Chain.Ca], "other.example.test", out _));
    }

    [Fact]
    public void FindMatch_OneOfSeveral_IsEnough()
    {
        var wrong = new TlsaAssociation(3, 1, 1, new byte[32]);
        var right = new TlsaAssociation(3, 1, 1, Data(1, 1, Chain.Leaf));

        Assert.Same(right, TlsaMatcher.FindMatch([wrong, right], [Chain.Leaf], "mx.example.test", out _));
    }

    [Fact]
    public void FindMatch_GarbageChain_MatchesNothingAndDoesNotThrow()
    {
        var association = new TlsaAssociation(3, 1, 1, Data(1, 1, Chain.Leaf));

        Assert.Null(TlsaMatcher.FindMatch([association], [[0x30, 0x03, 0x01, 0x02]], "mx.example.test", out _));
        Assert.Null(TlsaMatcher.FindMatch([association], [], "mx.example.test", out var reasons));
        Assert.Contains("no certificate", Assert.Single(reasons), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(3, 1, 1, 32, false)]
    [InlineData(2, 0, 2, 64, false)]
    [InlineData(3, 0, 0, 100, false)]
    [InlineData(0, 0, 1, 32, true)]
    [InlineData(1, 1, 1, 32, true)]
    [InlineData(4, 1, 1, 32, false)]
    [InlineData(3, 2, 1, 32, false)]
    [InlineData(3, 1, 3, 32, false)]
    [InlineData(3, 1, 1, 31, false)]
    [InlineData(3, 1, 2, 32, false)]
    [InlineData(3, 0, 0, 0, false)]
    public void Problem_ClassifiesUsableUnusableAndInvalid(byte usage, byte selector, byte matchingType, int length, bool pkix)
    {
        var problem = new TlsaAssociation(usage, selector, matchingType, new byte[length]).Problem();

        var usable = usage is 2 or 3 && selector is 0 or 1 && (matchingType, length) is (0, > 0) or (1, 32) or (2, 64);
        Assert.Equal(usable, problem is null);
        if (problem is { } p)
        {
            Assert.Equal(pkix, p.PkixUsage);
        }
    }
}
