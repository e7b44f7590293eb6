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
    private static readonly DateTimeOffset Now = TimeProvider.System.GetUtcNow();

    private static readonly (byte[] Ca, byte[] Leaf) Chain = MakeChain("mx.example.test", Now.AddDays(-1), Now.AddDays(89));

    private static (byte[] Ca, byte[] Leaf) MakeChain(string host, DateTimeOffset notBefore, DateTimeOffset notAfter)
    {
        using var caKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var caRequest = new CertificateRequest("CN=Matcher Test CA", caKey, HashAlgorithmName.SHA256);
        caRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        using var ca = caRequest.CreateSelfSigned(notBefore.AddDays(-1), notAfter.AddDays(1));
        using var leafKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var leafRequest = new CertificateRequest("CN=" + host, leafKey, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName(host);
        leafRequest.CertificateExtensions.Add(san.Build());
        using var leaf = leafRequest.Create(ca, notBefore, notAfter, [1, 2, 3]);
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
    public void FindMatch_DaneEeIgnoresTheName()
    {
        var association = new TlsaAssociation(3, 1, 1, Data(1, 1, Chain.Leaf));

        Assert.NotNull(TlsaMatcher.FindMatch([association], [Chain.Leaf], "some-other-name.example", out _));
    }

    [Theory]
    [InlineData(-400, -30)] // expired a month ago
    [InlineData(30, 120)] // valid only from next month
    public void FindMatch_DaneEeIgnoresTheValidityDates(int fromDays, int toDays)
    {
        // RFC 7671 section 5.1: with DANE-EE(3) the key is what is trusted and the certificate's
        // expiration date MUST be ignored.
        var leaf = MakeChain("mx.example.test", Now.AddDays(fromDays), Now.AddDays(toDays)).Leaf;
        using (var certificate = X509CertificateLoader.LoadCertificate(leaf))
        {
            Assert.False(certificate.NotBefore <= Now.LocalDateTime && Now.LocalDateTime <= certificate.NotAfter);
        }

        var association = new TlsaAssociation(3, 1, 1, Data(1, 1, leaf));

        Assert.NotNull(TlsaMatcher.FindMatch([association], [leaf], "mx.example.test", out _));
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

    private static X509Certificate2 Ca(string name, AsymmetricAlgorithm key, X509Certificate2? issuer = null)
    {
        var request = key is RSA rsa
            ? new CertificateRequest("CN=" + name, rsa, HashAlgorithmName.SHA256, RSASignaturePadding.Pkcs1)
            : new CertificateRequest("CN=" + name, (ECDsa)key, HashAlgorithmName.SHA256);
        request.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        if (issuer is null)
        {
            return request.CreateSelfSigned(Now, Now.AddYears(1));
        }

        // An issuer of another key type signs through a generator of its own kind.
        var generator = issuer.GetRSAPrivateKey() is { } issuerRsa
            ? X509SignatureGenerator.CreateForRSA(issuerRsa, RSASignaturePadding.Pkcs1)
            : X509SignatureGenerator.CreateForECDsa(issuer.GetECDsaPrivateKey()!);
        using var plain = request.Create(issuer.SubjectName, generator, Now, Now.AddYears(1), [4, 5, 6]);
        return plain.CopyWithPrivateKey((ECDsa)key);
    }

    private static byte[] Leaf(string dnsName, X509Certificate2 issuer)
    {
        using var key = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var request = new CertificateRequest("CN=" + dnsName, key, HashAlgorithmName.SHA256);
        var san = new SubjectAlternativeNameBuilder();
        san.AddDnsName(dnsName);
        request.CertificateExtensions.Add(san.Build());
        using var leaf = request.Create(issuer, Now, Now.AddDays(90), [7, 8, 9]);
        return leaf.RawData;
    }

    [Fact]
    public void FindMatch_DaneTaOfACaTheLeafDoesNotChainTo_DoesNotMatch()
    {
        // RFC 7671 section 5.2.2: a server that sends some other CA along does not make it the issuer.
        using var issuerKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var issuer = Ca("Real Issuer", issuerKey);
        using var strangerKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var stranger = Ca("Stranger CA", strangerKey);
        var leaf = Leaf("mx.example.test", issuer);
        var association = new TlsaAssociation(2, 0, 1, Data(0, 1, stranger.RawData));

        Assert.Null(TlsaMatcher.FindMatch([association], [leaf, stranger.RawData], "mx.example.test", out var reasons));
        Assert.Contains("does not chain", Assert.Single(reasons), StringComparison.Ordinal);
        var own = new TlsaAssociation(2, 1, 1, Data(1, 1, issuer.RawData));
        Assert.NotNull(TlsaMatcher.FindMatch([own], [leaf, issuer.RawData], "mx.example.test", out _));
    }

    [Fact]
    public void FindMatch_DaneTaOfTheRootThroughAnIntermediateSentOutOfOrder_Matches()
    {
        using var rootKey = RSA.Create(2048);
        using var root = Ca("Root", rootKey);
        using var intermediateKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var intermediate = Ca("Intermediate", intermediateKey, root);
        var leaf = Leaf("mx.example.test", intermediate);
        var association = new TlsaAssociation(2, 1, 2, Data(1, 2, root.RawData));

        Assert.NotNull(TlsaMatcher.FindMatch([association], [leaf, root.RawData, intermediate.RawData], "mx.example.test", out _));
        // Without the intermediate there is no path to the root.
        Assert.Null(TlsaMatcher.FindMatch([association], [leaf, root.RawData], "mx.example.test", out _));
    }

    [Fact]
    public void FindMatch_DaneTaLeafNamingTheNextHopDomain_Matches()
    {
        // RFC 7672 section 3.2.2: the next-hop domain is a reference identifier beside the MX host name.
        using var issuerKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        using var issuer = Ca("Domain CA", issuerKey);
        var leaf = Leaf("example.test", issuer);
        var association = new TlsaAssociation(2, 0, 1, Data(0, 1, issuer.RawData));

        Assert.NotNull(TlsaMatcher.FindMatch([association], [leaf, issuer.RawData], "mx.example.test", out _, nextHop: "example.test"));
        Assert.Null(TlsaMatcher.FindMatch([association], [leaf, issuer.RawData], "mx.example.test", out var reasons));
        Assert.Null(TlsaMatcher.FindMatch([association], [leaf, issuer.RawData], "mx.example.test", out _, nextHop: "other.test"));
        Assert.Contains("not valid for mx.example.test", Assert.Single(reasons), StringComparison.Ordinal);
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
