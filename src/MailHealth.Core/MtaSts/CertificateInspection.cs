using System.Security.Cryptography.X509Certificates;

namespace MailHealth.MtaSts;

/// <summary>
/// What a server's certificate is worth for one host name at one time: trusted (system roots plus
/// the extra roots, expiry left aside), valid for the name, expired or how long it has left.
/// </summary>
public sealed record CertificateInspection(
    string Subject,
    string Issuer,
    DateTimeOffset NotBefore,
    DateTimeOffset NotAfter,
    bool Trusted,
    string TrustProblem,
    bool NameMatches,
    bool Expired,
    bool NotYetValid,
    double DaysLeft)
{
    /// <summary>What a sender that validates as RFC 8461 section 3.3 says would accept.</summary>
    public bool Valid => Trusted && NameMatches && !Expired && !NotYetValid;

    /// <param name="leaf">The server's certificate.</param>
    /// <param name="presented">The rest of the chain the server sent (intermediates, maybe the root).</param>
    /// <param name="hostName">The DNS-ID it must be valid for.</param>
    /// <param name="extraRoots">Roots trusted besides the system store (<c>--ca-file</c>).</param>
    /// <param name="now">The run's clock: expiry is judged at this time, not the machine's.</param>
    public static CertificateInspection Inspect(
        X509Certificate2 leaf, IEnumerable<X509Certificate2> presented, string hostName, X509Certificate2Collection extraRoots, DateTimeOffset now)
    {
        ArgumentNullException.ThrowIfNull(leaf);
        var intermediates = new X509Certificate2Collection();
        foreach (var cert in presented)
        {
            intermediates.Add(cert);
        }

        var (trusted, problem) = BuildChain(leaf, intermediates, X509ChainTrustMode.System, [], now);
        if (!trusted && extraRoots.Count > 0)
        {
            (trusted, problem) = BuildChain(leaf, intermediates, X509ChainTrustMode.CustomRootTrust, extraRoots, now);
        }

        var notBefore = new DateTimeOffset(leaf.NotBefore.ToUniversalTime(), TimeSpan.Zero);
        var notAfter = new DateTimeOffset(leaf.NotAfter.ToUniversalTime(), TimeSpan.Zero);
        return new CertificateInspection(
            leaf.Subject,
            leaf.Issuer,
            notBefore,
            notAfter,
            trusted,
            problem,
            // RFC 8461 section 3.3: DNS-IDs only, a wildcard only as the whole left-most label.
            leaf.MatchesHostname(hostName, allowWildcards: true, allowCommonName: false),
            now > notAfter,
            now < notBefore,
            (notAfter - now).TotalDays);
    }

    private static (bool Trusted, string Problem) BuildChain(
        X509Certificate2 leaf, X509Certificate2Collection intermediates, X509ChainTrustMode mode, X509Certificate2Collection roots, DateTimeOffset now)
    {
        using var chain = new X509Chain();
        var policy = chain.ChainPolicy;
        policy.TrustMode = mode;
        policy.CustomTrustStore.AddRange(roots);
        policy.ExtraStore.AddRange(intermediates);
        // Never fetch intermediates or revocation lists: a check talks only to what it was pointed at.
        policy.DisableCertificateDownloads = true;
        policy.RevocationMode = X509RevocationMode.NoCheck;
        // Expiry is reported on its own (TLS_CERT_EXPIRED); trust is about the issuer only.
        policy.VerificationFlags = X509VerificationFlags.IgnoreNotTimeValid | X509VerificationFlags.IgnoreCtlNotTimeValid;
        policy.VerificationTime = now.UtcDateTime;
        if (chain.Build(leaf))
        {
            return (true, "");
        }

        var statuses = chain.ChainStatus
            .Where(s => s.Status is not (X509ChainStatusFlags.NotTimeValid or X509ChainStatusFlags.NoError))
            .Select(s => s.Status.ToString())
            .Distinct()
            .ToList();
        return (false, statuses.Count > 0 ? string.Join(", ", statuses) : "the chain does not build to a trusted root");
    }
}
