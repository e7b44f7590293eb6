using System.Net.Security;
using System.Security.Cryptography.X509Certificates;
using MailKit;
using MailKit.Net.Smtp;

namespace MailHealth.Smtp;

/// <summary>
/// MailKit's client with its raw-command entry opened (the relay test's MAIL, RCPT and RSET), and
/// with TLS session resumption off: a resumed session presents no certificate, so the probe would
/// report the one cached from an earlier handshake under the same host name, possibly another
/// server's (two MX hosts sharing session-ticket keys, a host moved to a new address).
/// The platform's own chain, built during the handshake for a callback that accepts anything,
/// is built against no trust store and never downloads: <see cref="CertificateInspector"/> judges
/// the certificate afterwards, with the probe's clock and roots, so a handshake must not spend
/// a search of the system store (and possibly a fetch of missing intermediates) on a verdict
/// nobody reads.
/// </summary>
internal sealed class ProbeSmtpClient(IProtocolLogger logger) : SmtpClient(logger)
{
    public Task<SmtpResponse> CommandAsync(string command, CancellationToken cancellationToken) =>
        SendCommandAsync(command, cancellationToken);

    protected override SslClientAuthenticationOptions GetSslClientAuthenticationOptions(string host, RemoteCertificateValidationCallback validationCallback)
    {
        var options = base.GetSslClientAuthenticationOptions(host, validationCallback);
        options.AllowTlsResume = false;
        options.CertificateChainPolicy = HandshakeChainPolicy();
        return options;
    }

    /// <summary>
    /// The chain a probe's handshake builds: no store searched, nothing fetched. A certificate's
    /// AIA or CRL URL is the server's to choose; fetching it would be a connection the address
    /// policy never saw (docs/address-policy.md).
    /// </summary>
    public static X509ChainPolicy HandshakeChainPolicy() => new()
    {
        TrustMode = X509ChainTrustMode.CustomRootTrust,
        RevocationMode = X509RevocationMode.NoCheck,
        DisableCertificateDownloads = true,
    };
}
