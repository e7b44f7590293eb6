using System.Net.Security;
using System.Security.Cryptography.X509Certificates;

namespace MailHealth.Smtp;

/// <summary>
/// The certificate validation callback of a probe: it keeps what the server presented and
/// accepts it whatever it is, so that a bad certificate becomes a finding and the probe goes on
/// to the EHLO after TLS instead of ending in a handshake error.
/// </summary>
internal sealed class PresentedCertificate
{
    /// <summary>The presented chain, leaf first, DER; empty until the handshake reached the certificate.</summary>
    public IReadOnlyList<byte[]> Chain { get; private set; } = [];

    public bool Accept(object sender, X509Certificate? certificate, X509Chain? chain, SslPolicyErrors errors)
    {
        if (certificate is null)
        {
            return true;
        }

        var leaf = certificate.GetRawCertData();
        var der = new List<byte[]> { leaf };
        // The platform puts the certificates the peer sent in ExtraStore; fall back to the built chain.
        var others = chain is null
            ? []
            : chain.ChainPolicy.ExtraStore.Count > 0
                ? chain.ChainPolicy.ExtraStore.Select(c => c.RawData)
                : chain.ChainElements.Select(e => e.Certificate.RawData);
        der.AddRange(others.Where(d => !d.AsSpan().SequenceEqual(leaf)));
        Chain = der;
        return true;
    }

    /// <summary>The chain as certificates (leaf first), for inspection; the caller disposes them.</summary>
    public List<X509Certificate2> Load() => [.. Chain.Select(d => X509CertificateLoader.LoadCertificate(d))];
}
