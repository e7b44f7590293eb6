using System.Net.Security;
using System.Security.Cryptography;
using System.Security.Cryptography.X509Certificates;
using MailHealth.Checks;
using MailHealth.Smtp;
using MailHealth.Targets;
using MailHealth.Testing;
using MailHealth.Testing.Servers;

namespace MailHealth.Core.Tests.Smtp;

/// <summary>
/// A probed server chooses its certificate, and with it the URLs a chain builder may fetch (AIA
/// caIssuers): fetching them would be a connection the address policy never judged. The probe's
/// handshakes fetch nothing, on implicit TLS (465) as on STARTTLS.
/// </summary>
public sealed class SmtpCertificateDownloadTests
{
    [Fact]
    public async Task Probe_LeafWhoseIssuerIsOnlyAtItsAiaUrl_FetchesNothing()
    {
        // The URL's listener: a fetch of the issuer would be counted there.
        await using var issuerHost = new SocketServer((_, _) => Task.CompletedTask);
        var now = TestClock.Start;
        using var rootKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var rootRequest = new CertificateRequest("CN=MailHealth AIA test root", rootKey, HashAlgorithmName.SHA256);
        rootRequest.CertificateExtensions.Add(new X509BasicConstraintsExtension(true, false, 0, true));
        using var root = rootRequest.CreateSelfSigned(now.AddDays(-1), now.AddDays(1));
        using var leafKey = ECDsa.Create(ECCurve.NamedCurves.nistP256);
        var leafRequest = new CertificateRequest("CN=aia.smtp.test", leafKey, HashAlgorithmName.SHA256);
        leafRequest.CertificateExtensions.Add(new X509AuthorityInformationAccessExtension(null, [$"http://{issuerHost.EndPoint}/issuer.cer"]));
        using var issued = leafRequest.Create(root, now.AddHours(-1), now.AddHours(12), [1, 2, 3, 4]);
        using var leaf = issued.CopyWithPrivateKey(leafKey);
        // Offline: the server side must not fetch the issuer either while it builds what it sends.
        var context = SslStreamCertificateContext.Create(leaf, null, offline: true);
        await using var server = new SocketServer(async (socket, stop) =>
        {
            await using var tls = new SslStream(new System.Net.Sockets.NetworkStream(socket, ownsSocket: false));
            await tls.AuthenticateAsServerAsync(new SslServerAuthenticationOptions { ServerCertificateContext = context }, stop);
        });
        var host = new MailHost("aia.smtp.test", null, [server.Address]);

        var outcome = await SmtpProbe.ProbeAsync(Peers.Context(Peers.Target("aia.smtp.test")), host, new PortSpec(server.Port, SmtpRole.Submissions), CancellationToken.None);

        Assert.True(outcome.TlsEstablished);
        Assert.Equal(0, issuerHost.Accepted);

        // What a chain builder allowed to download does with the same certificate: it asks the listener.
        using var chain = new X509Chain();
        chain.ChainPolicy.RevocationMode = X509RevocationMode.NoCheck;
        chain.ChainPolicy.UrlRetrievalTimeout = TimeSpan.FromSeconds(5);
        _ = chain.Build(issued);
        Assert.True(issuerHost.Accepted > 0);
    }
}
