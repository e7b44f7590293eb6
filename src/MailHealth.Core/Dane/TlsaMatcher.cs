using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace MailHealth.Dane;

/// <summary>
/// Matches usable TLSA associations against a presented chain (DER, leaf first), as a DANE SMTP
/// client does (RFC 7672 section 3.1, RFC 7671 section 5, RFC 6698 section 2.1).
/// </summary>
public static class TlsaMatcher
{
    /// <summary>
    /// The first association the chain satisfies, or null; <paramref name="reasons"/> says why each
    /// record failed. DANE-EE(3) is matched against the leaf only, with neither name nor expiry
    /// checked (RFC 7672 section 3.1.1); DANE-TA(2) against any certificate of the chain, and then
    /// the leaf must chain to that trust anchor by signatures (RFC 7671 section 5.2.2) and be valid
    /// for the host name or the next-hop domain (RFC 7672 section 3.2.2; the CN counts only without DNS-IDs).
    /// </summary>
    public static TlsaAssociation? FindMatch(
        IReadOnlyList<TlsaAssociation> usable, IReadOnlyList<byte[]> chain, string hostName, out IReadOnlyList<string> reasons, string? nextHop = null)
    {
        var why = new List<string>();
        reasons = why;
        if (chain.Count == 0)
        {
            why.Add("no certificate was presented");
            return null;
        }

        foreach (var association in usable)
        {
            if (association.Usage == 3)
            {
                if (Matches(association, chain[0]))
                {
                    return association;
                }

                why.Add($"{association}: does not match the leaf certificate");
                continue;
            }

            var index = IndexOfMatch(association, chain);
            if (index < 0)
            {
                why.Add($"{association}: matches no certificate of the chain");
                continue;
            }

            if (!ChainsTo(chain, index))
            {
                why.Add($"{association}: matches certificate {index} of the chain, but the leaf does not chain to it (no path of valid signatures from the leaf to that trust anchor)");
                continue;
            }

            if (!LeafMatchesName(chain[0], hostName) && (nextHop is null || !LeafMatchesName(chain[0], nextHop)))
            {
                var names = nextHop is null ? hostName : $"{hostName} nor for the next-hop domain {nextHop}";
                why.Add($"{association}: matches certificate {index} of the chain, but the leaf is not valid for {names}");
                continue;
            }

            return association;
        }

        return null;
    }

    /// <summary>Does one certificate (DER) satisfy one association's selector and matching type?</summary>
    public static bool Matches(TlsaAssociation association, byte[] certificate)
    {
        ArgumentNullException.ThrowIfNull(association);
        var selected = association.Selector switch
        {
            0 => certificate,
            1 => SubjectPublicKeyInfo(certificate),
            _ => null,
        };
        if (selected is null)
        {
            return false;
        }

        var data = association.MatchingType switch
        {
            0 => selected,
            1 => SHA256.HashData(selected),
            2 => SHA512.HashData(selected),
            _ => null,
        };
        return data is not null && data.AsSpan().SequenceEqual(association.Data);
    }

    private static int IndexOfMatch(TlsaAssociation association, IReadOnlyList<byte[]> chain)
    {
        for (var i = 0; i < chain.Count; i++)
        {
            if (Matches(association, chain[i]))
            {
                return i;
            }
        }

        return -1;
    }

    /// <summary>
    /// True when a path of signatures leads from the leaf to <c>chain[anchor]</c> through the other
    /// certificates the server sent, in any order (RFC 7671 section 5.2.2). Expiry is not checked here.
    /// </summary>
    private static bool ChainsTo(IReadOnlyList<byte[]> chain, int anchor)
    {
        if (anchor == 0)
        {
            return true;
        }

        var certificates = new List<X509Certificate2>();
        try
        {
            foreach (var der in chain)
            {
                certificates.Add(X509CertificateLoader.LoadCertificate(der));
            }

            var current = certificates[0];
            var used = new HashSet<int> { 0 };
            while (used.Count <= certificates.Count)
            {
                if (CertificateSignature.IsSignedBy(current, certificates[anchor]))
                {
                    return true;
                }

                var next = Enumerable.Range(0, certificates.Count)
                    .FirstOrDefault(i => i != anchor && !used.Contains(i) && CertificateSignature.IsSignedBy(current, certificates[i]), -1);
                if (next < 0)
                {
                    return false;
                }

                used.Add(next);
                current = certificates[next];
            }

            return false;
        }
        catch (CryptographicException)
        {
            return false;
        }
        finally
        {
            certificates.ForEach(c => c.Dispose());
        }
    }

    private static byte[]? SubjectPublicKeyInfo(byte[] der)
    {
        try
        {
            using var certificate = X509CertificateLoader.LoadCertificate(der);
            return certificate.PublicKey.ExportSubjectPublicKeyInfo();
        }
        catch (CryptographicException)
        {
            return null;
        }
    }

    private static bool LeafMatchesName(byte[] der, string hostName)
    {
        try
        {
            using var leaf = X509CertificateLoader.LoadCertificate(der);
            return leaf.MatchesHostname(hostName.TrimEnd('.'), allowWildcards: true, allowCommonName: true);
        }
        catch (CryptographicException)
        {
            return false;
        }
    }
}
