using System.Formats.Asn1;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace MailHealth.Dane;

/// <summary>
/// Whether one certificate was signed by another's key (RFC 5280 section 4.1.1.3): the issuer's
/// name is the child's issuer and the signature over the child's TBSCertificate verifies. Used
/// for DANE-TA chains, where the trust anchor comes from DNS and not from a root store.
/// </summary>
public static class CertificateSignature
{
    public static bool IsSignedBy(X509Certificate2 child, X509Certificate2 issuer)
    {
        ArgumentNullException.ThrowIfNull(child);
        ArgumentNullException.ThrowIfNull(issuer);
        if (!child.IssuerName.RawData.AsSpan().SequenceEqual(issuer.SubjectName.RawData))
        {
            return false;
        }

        try
        {
            var (tbs, algorithm, signature) = Split(child.RawData);
            return algorithm switch
            {
                // sha256/384/512WithRSAEncryption (RFC 4055 section 5)
                "1.2.840.113549.1.1.11" => VerifyRsa(issuer, tbs, signature, HashAlgorithmName.SHA256),
                "1.2.840.113549.1.1.12" => VerifyRsa(issuer, tbs, signature, HashAlgorithmName.SHA384),
                "1.2.840.113549.1.1.13" => VerifyRsa(issuer, tbs, signature, HashAlgorithmName.SHA512),
                // ecdsa-with-SHA256/384/512 (RFC 5758 section 3.2)
                "1.2.840.10045.4.3.2" => VerifyEcdsa(issuer, tbs, signature, HashAlgorithmName.SHA256),
                "1.2.840.10045.4.3.3" => VerifyEcdsa(issuer, tbs, signature, HashAlgorithmName.SHA384),
                "1.2.840.10045.4.3.4" => VerifyEcdsa(issuer, tbs, signature, HashAlgorithmName.SHA512),
                _ => false,
            };
        }
        catch (Exception e) when (e is AsnContentException or CryptographicException)
        {
            return false;
        }
    }

    private static (byte[] Tbs, string Algorithm, byte[] Signature) Split(byte[] der)
    {
        var certificate = new AsnReader(der, AsnEncodingRules.DER).ReadSequence();
        var tbs = certificate.ReadEncodedValue().ToArray();
        var algorithm = certificate.ReadSequence().ReadObjectIdentifier();
        var signature = certificate.ReadBitString(out _);
        return (tbs, algorithm, signature);
    }

    private static bool VerifyRsa(X509Certificate2 issuer, byte[] tbs, byte[] signature, HashAlgorithmName hash)
    {
        using var key = issuer.GetRSAPublicKey();
        return key is not null && key.VerifyData(tbs, signature, hash, RSASignaturePadding.Pkcs1);
    }

    private static bool VerifyEcdsa(X509Certificate2 issuer, byte[] tbs, byte[] signature, HashAlgorithmName hash)
    {
        using var key = issuer.GetECDsaPublicKey();
        return key is not null && key.VerifyData(tbs, signature, hash, DSASignatureFormat.Rfc3279DerSequence);
    }
}
