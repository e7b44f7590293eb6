using System.Net.Security;
using MailKit;
using MailKit.Net.Smtp;

namespace MailHealth.Smtp;

/// <summary>
/// MailKit's client with its raw-command entry opened (the relay test's MAIL, RCPT and RSET), and
/// with TLS session resumption off: a resumed session presents no certificate, so the probe would
/// report the one cached from an earlier handshake under the same host name, possibly another
/// server's (two MX hosts sharing session-ticket keys, a host moved to a new address).
/// </summary>
internal sealed class ProbeSmtpClient(IProtocolLogger logger) : SmtpClient(logger)
{
    public Task<SmtpResponse> CommandAsync(string command, CancellationToken cancellationToken) =>
        SendCommandAsync(command, cancellationToken);

    protected override SslClientAuthenticationOptions GetSslClientAuthenticationOptions(string host, RemoteCertificateValidationCallback validationCallback)
    {
        var options = base.GetSslClientAuthenticationOptions(host, validationCallback);
        options.AllowTlsResume = false;
        return options;
    }
}
