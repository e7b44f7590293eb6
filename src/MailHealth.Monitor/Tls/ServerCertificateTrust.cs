using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace MailHealth.Monitor.Tls;

/// <summary>
/// The trust of a server the operator configured (the e-mail channel's submission server, the
/// reports mailbox): its certificate must chain to the system's roots or to the roots of an extra
/// CA file, and match the host. Revocation is not checked: the check would download the issuer's
/// lists (docs/address-policy.md), and a private CA seldom publishes any.
/// </summary>
public sealed class ServerCertificateTrust
{
    private readonly X509Certificate2Collection _extraRoots = [];

    /// <param name="caFile">A PEM file of extra roots; null or empty for the system's roots only.</param>
    public ServerCertificateTrust(string? caFile)
    {
        if (caFile is { Length: > 0 })
        {
            _extraRoots.ImportFromPemFile(caFile);
        }
    }

    /// <summary>A <see cref="RemoteCertificateValidationCallback"/>: true when the certificate is trusted for the host.</summary>
    public bool Validate(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (errors == SslPolicyErrors.None)
        {
            return true;
        }

        // Only a chain error may be cured by the extra roots; a name mismatch never is.
        if (errors != SslPolicyErrors.RemoteCertificateChainErrors || certificate is null || _extraRoots.Count == 0)
        {
            return false;
        }

        using var custom = new X509Chain();
        custom.ChainPolicy.TrustMode = X509ChainTrustMode.CustomRootTrust;
        custom.ChainPolicy.CustomTrustStore.AddRange(_extraRoots);
        custom.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        if (chain is not null)
        {
            foreach (var element in chain.ChainElements)
            {
                custom.ChainPolicy.ExtraStore.Add(element.Certificate);
            }
        }

        using var leaf = X509CertificateLoader.LoadCertificate(certificate.GetRawCertData());
        return custom.Build(leaf);
    }
}
