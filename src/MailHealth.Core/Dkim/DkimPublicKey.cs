using System.Formats.Asn1;

namespace MailHealth.Dkim;

/// <summary>
/// A decoded DKIM public key: its type, size in bits and the form it was published in; or why the
/// p= data is not a usable key. Decoding reads the DER itself (System.Formats.Asn1), so a short or
/// odd key is measured, not refused by a crypto library's policy.
/// </summary>
public sealed record DkimPublicKey(string Type, int Bits, string Format)
{
    private const string RsaEncryptionOid = "1.2.840.113549.1.1.1";
    private const string Ed25519Oid = "1.3.101.112";

    /// <summary>Length of an Ed25519 public key (RFC 8032 section 5.1.5).</summary>
    public const int Ed25519KeyLength = 32;

    /// <summary>
    /// Decodes p= (base64, whitespace allowed: RFC 6376 section 3.6.1) for key type k=.
    /// Returns null and a reason when it is not a key of that type.
    /// </summary>
    public static DkimPublicKey? TryDecode(string keyType, string base64, out string? problem)
    {
        ArgumentNullException.ThrowIfNull(keyType);
        ArgumentNullException.ThrowIfNull(base64);
        byte[] data;
        try
        {
            data = Convert.FromBase64String(TagList.RemoveWhitespace(base64));
        }
        catch (FormatException)
        {
            problem = "p= is not valid base64";
            return null;
        }

        return keyType switch
        {
            DkimKeyTypes.Rsa => TryDecodeRsa(data, out problem),
            DkimKeyTypes.Ed25519 => TryDecodeEd25519(data, out problem),
            _ => Unknown(keyType, out problem),
        };
    }

    private static DkimPublicKey? Unknown(string keyType, out string? problem)
    {
        problem = $"unknown key type k={keyType}";
        return null;
    }

    // RFC 8463 section 4: p= is the bare 32-byte Ed25519 key, not a SubjectPublicKeyInfo.
    private static DkimPublicKey? TryDecodeEd25519(byte[] data, out string? problem)
    {
        if (data.Length == Ed25519KeyLength)
        {
            problem = null;
            return new DkimPublicKey(DkimKeyTypes.Ed25519, 256, "raw");
        }

        problem = TryReadSpkiAlgorithm(data, out var oid, out _) && oid == Ed25519Oid
            ? "p= holds an Ed25519 SubjectPublicKeyInfo; RFC 8463 wants the bare 32-byte key"
            : $"an Ed25519 key is {Ed25519KeyLength} bytes, p= has {data.Length}";
        return null;
    }

    // RFC 6376 section 3.6.1 says RSAPublicKey; nearly everyone publishes a SubjectPublicKeyInfo
    // (what openssl writes), and verifiers accept both.
    private static DkimPublicKey? TryDecodeRsa(byte[] data, out string? problem)
    {
        if (TryReadSpkiAlgorithm(data, out var oid, out var subjectKey))
        {
            if (oid != RsaEncryptionOid)
            {
                problem = oid == Ed25519Oid
                    ? "p= holds an Ed25519 key but k= says rsa (use k=ed25519 and the bare key)"
                    : $"p= holds a key of algorithm {oid}, not RSA";
                return null;
            }

            return TryReadRsaPublicKey(subjectKey, "spki", out problem);
        }

        var bare = TryReadRsaPublicKey(data, "pkcs1", out problem);
        if (bare is null)
        {
            problem = data.Length == Ed25519KeyLength
                ? "p= looks like a 32-byte Ed25519 key but k= says rsa"
                : "p= is neither an RSA SubjectPublicKeyInfo nor an RSAPublicKey";
        }

        return bare;
    }

    // SubjectPublicKeyInfo ::= SEQUENCE { algorithm AlgorithmIdentifier, subjectPublicKey BIT STRING } (RFC 5280 section 4.1)
    private static bool TryReadSpkiAlgorithm(byte[] data, out string? oid, out byte[] subjectKey)
    {
        oid = null;
        subjectKey = [];
        try
        {
            var reader = new AsnReader(data, AsnEncodingRules.DER);
            var spki = reader.ReadSequence();
            reader.ThrowIfNotEmpty();
            var algorithm = spki.ReadSequence();
            oid = algorithm.ReadObjectIdentifier();
            subjectKey = spki.ReadBitString(out var unused);
            spki.ThrowIfNotEmpty();
            return unused == 0;
        }
        catch (AsnContentException)
        {
            oid = null;
            return false;
        }
    }

    // RSAPublicKey ::= SEQUENCE { modulus INTEGER, publicExponent INTEGER } (RFC 8017 appendix A.1.1)
    private static DkimPublicKey? TryReadRsaPublicKey(byte[] data, string format, out string? problem)
    {
        try
        {
            var reader = new AsnReader(data, AsnEncodingRules.DER);
            var key = reader.ReadSequence();
            reader.ThrowIfNotEmpty();
            var modulus = key.ReadInteger();
            var exponent = key.ReadInteger();
            key.ThrowIfNotEmpty();
            if (modulus.Sign <= 0 || exponent.Sign <= 0)
            {
                problem = "the RSA modulus or exponent is not positive";
                return null;
            }

            problem = null;
            return new DkimPublicKey(DkimKeyTypes.Rsa, (int)modulus.GetBitLength(), format);
        }
        catch (AsnContentException)
        {
            problem = "p= is not a DER-encoded RSA public key";
            return null;
        }
    }
}
