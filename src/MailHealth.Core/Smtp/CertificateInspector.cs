using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;

namespace MailHealth.Smtp;

/// <summary>
/// Judges a presented certificate the way a strict sender would: chain to a system root or to
/// one of the configured extra roots, validity dates at the probe's time, host name coverage.
/// Never downloads anything (no revocation fetch, no AIA chasing): sending MTAs do not either, so
/// a server that omits its intermediates is untrusted for its senders too.
/// </summary>
internal static class CertificateInspector
{
    private const string ServerAuthOid = "1.3.6.1.5.5.7.3.1";

    public static CertificateReport Inspect(
        X509Certificate2 leaf,
        IReadOnlyList<X509Certificate2> presented,
        string hostName,
        X509Certificate2Collection extraRoots,
        DateTimeOffset now)
    {
        var notBefore = new DateTimeOffset(leaf.NotBefore.ToUniversalTime());
        var notAfter = new DateTimeOffset(leaf.NotAfter.ToUniversalTime());
        var intermediates = presented.Where(c => !c.RawDataMemory.Span.SequenceEqual(leaf.RawDataMemory.Span)).ToList();

        // A DNS-ID match is a name match too (the common name is only a fallback): the second
        // decode of the names is needed only when the first finds none.
        var dnsIdMatches = Matches(leaf, hostName, allowCommonName: false);
        var nameMatches = dnsIdMatches || Matches(leaf, hostName, allowCommonName: true);
        var (trusted, status) = TrustJudgments.Shared.Judge(leaf, intermediates, extraRoots, () =>
        {
            var system = Build(leaf, intermediates, null, now);
            return system.Trusted || extraRoots.Count == 0 ? system : (Build(leaf, intermediates, extraRoots, now).Trusted, system.Status);
        });

        return new CertificateReport
        {
            Subject = leaf.Subject,
            Issuer = leaf.Issuer,
            DnsNames = DnsNames(leaf),
            NotBefore = notBefore,
            NotAfter = notAfter,
            DaysLeft = (int)Math.Floor((notAfter - now).TotalDays),
            Expired = now > notAfter,
            NotYetValid = now < notBefore,
            Trusted = trusted,
            ChainStatus = trusted ? [] : status,
            NameMatches = nameMatches,
            DnsIdMatches = dnsIdMatches,
            HostName = hostName,
            Sha256 = Convert.ToHexStringLower(SHA256.HashData(leaf.RawDataMemory.Span)),
        };
    }

    private static (bool Trusted, IReadOnlyList<string> Status) Build(
        X509Certificate2 leaf, List<X509Certificate2> intermediates, X509Certificate2Collection? roots, DateTimeOffset now)
    {
        using var chain = new X509Chain();
        var policy = chain.ChainPolicy;
        policy.RevocationMode = X509RevocationMode.NoCheck;
        policy.DisableCertificateDownloads = true;
        policy.VerificationTime = now.UtcDateTime;
        // Expiry is its own finding (TLS_CERT_EXPIRED); trust is only about who signed it.
        policy.VerificationFlags = X509VerificationFlags.IgnoreNotTimeValid | X509VerificationFlags.IgnoreCtlNotTimeValid;
        policy.ApplicationPolicy.Add(new Oid(ServerAuthOid));
        policy.ExtraStore.AddRange(intermediates.ToArray());
        if (roots is not null)
        {
            policy.TrustMode = X509ChainTrustMode.CustomRootTrust;
            policy.CustomTrustStore.AddRange(roots);
        }

        var trusted = chain.Build(leaf);
        var status = chain.ChainStatus
            .Where(s => s.Status != X509ChainStatusFlags.NoError)
            .Select(s => $"{s.Status}: {s.StatusInformation.Trim()}")
            .Distinct()
            .ToList();
        foreach (var element in chain.ChainElements)
        {
            element.Certificate.Dispose();
        }

        return (trusted, status);
    }

    private static bool Matches(X509Certificate2 leaf, string hostName, bool allowCommonName)
    {
        try
        {
            return leaf.MatchesHostname(hostName.TrimEnd('.'), allowWildcards: true, allowCommonName);
        }
        catch (ArgumentException)
        {
            return false;
        }
    }

    private static List<string> DnsNames(X509Certificate2 leaf)
    {
        var names = new List<string>();
        foreach (var extension in leaf.Extensions)
        {
            if (extension is X509SubjectAlternativeNameExtension san)
            {
                names.AddRange(san.EnumerateDnsNames());
            }
        }

        return names;
    }
}
