namespace MailHealth.Smtp;

/// <summary>What the probe found out about the certificate a mail server presented.</summary>
public sealed record CertificateReport
{
    public required string Subject { get; init; }

    public required string Issuer { get; init; }

    /// <summary>The DNS names of the subjectAltName extension.</summary>
    public required IReadOnlyList<string> DnsNames { get; init; }

    public required DateTimeOffset NotBefore { get; init; }

    public required DateTimeOffset NotAfter { get; init; }

    /// <summary>Whole days from the probe's time to notAfter; negative once expired.</summary>
    public required int DaysLeft { get; init; }

    public bool Expired { get; init; }

    public bool NotYetValid { get; init; }

    /// <summary>True when the chain builds to a system root or to one of the extra trusted roots.</summary>
    public required bool Trusted { get; init; }

    /// <summary>Why the chain did not build (empty when trusted); validity dates are reported apart.</summary>
    public required IReadOnlyList<string> ChainStatus { get; init; }

    /// <summary>True when the certificate covers the host name probed (RFC 6125 section 6).</summary>
    public required bool NameMatches { get; init; }

    /// <summary>
    /// True when a DNS-ID (subjectAltName dNSName) covers the host name, never the subject CN:
    /// what RFC 8461 (sections 3.3 and 4.1) and RFC 6125 section 6.4.4 with SANs present require.
    /// </summary>
    public required bool DnsIdMatches { get; init; }

    public required string HostName { get; init; }

    /// <summary>SHA-256 of the DER leaf, hex.</summary>
    public required string Sha256 { get; init; }

    /// <summary>The evidence shape of the report (camelCase keys, invariant texts).</summary>
    public IReadOnlyDictionary<string, object?> ToEvidence() => new Dictionary<string, object?>
    {
        ["subject"] = Subject,
        ["issuer"] = Issuer,
        ["dnsNames"] = DnsNames,
        ["notBefore"] = NotBefore,
        ["notAfter"] = NotAfter,
        ["daysLeft"] = DaysLeft,
        ["trusted"] = Trusted,
        ["chainStatus"] = ChainStatus,
        ["nameMatches"] = NameMatches,
        ["dnsIdMatches"] = DnsIdMatches,
        ["hostName"] = HostName,
        ["sha256"] = Sha256,
    };
}
