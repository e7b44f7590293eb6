using Azure.Core;
using MailHealth.Monitor.Tls;
using MailHealth.Network;
using MailKit.Net.Imap;
using MailKit.Security;
using Microsoft.Extensions.Options;

namespace MailHealth.Monitor.ReceiverReports.Mailbox;

/// <summary>
/// Opens the reports mailbox: a TCP connection through the address policy (docs/address-policy.md),
/// TLS always (implicit on 993, STARTTLS required elsewhere: a server that offers no STARTTLS is
/// refused before any credential is sent), the certificate trusted as the e-mail channel's is,
/// then the login: a password, or SASL XOAUTH2 with a token for <see cref="MailboxSettings.OutlookScope"/>
/// from the keyed <see cref="TokenCredential"/> (an app registration's client secret in a host;
/// the tests hand their own).
/// </summary>
public sealed class MailboxConnector(
    IOptions<MailboxSettings> options,
    AddressPolicy addressPolicy,
    TokenCredential? tokens)
{
    private readonly Lazy<ServerCertificateTrust> _trust = new(() => new ServerCertificateTrust(options.Value.CaFile));

    /// <summary>What <see cref="MailboxTls.Auto"/> means: implicit TLS on 993, STARTTLS (required) elsewhere; never plain text.</summary>
    public static SecureSocketOptions SocketOptions(MailboxTls tls, int port) => tls switch
    {
        MailboxTls.SslOnConnect => SecureSocketOptions.SslOnConnect,
        MailboxTls.StartTls => SecureSocketOptions.StartTls,
        _ => port == 993 ? SecureSocketOptions.SslOnConnect : SecureSocketOptions.StartTls,
    };

    /// <summary>A logged-in client; the caller disposes it.</summary>
    /// <exception cref="AddressRefusedException">The policy refuses every address of the host.</exception>
    /// <exception cref="NotSupportedException">The server offers no STARTTLS (plain text is never used) or not the SASL mechanism.</exception>
    /// <exception cref="AuthenticationException">The server refused the login.</exception>
    public async Task<ImapClient> ConnectAsync(CancellationToken cancellationToken)
    {
        var settings = options.Value;
        var client = new ImapClient
        {
            Timeout = (int)settings.Timeout.TotalMilliseconds,
            ServerCertificateValidationCallback = _trust.Value.Validate,
            CheckCertificateRevocation = false,
        };
        try
        {
            // Our own connect, through the address policy; MailKit talks over the socket and owns it.
            var socket = await GuardedConnector.ConnectAsync(addressPolicy, settings.Host!, settings.Port, GuardedConnector.SystemResolveAsync, cancellationToken).ConfigureAwait(false);
            try
            {
                await client.ConnectAsync(socket, settings.Host!, settings.Port, SocketOptions(settings.Tls, settings.Port), cancellationToken).ConfigureAwait(false);
            }
            catch
            {
                socket.Dispose();
                throw;
            }

            if (settings.Auth == MailboxAuth.OAuth2)
            {
                var token = await TokenAsync(cancellationToken).ConfigureAwait(false);
                await client.AuthenticateAsync(new SaslMechanismOAuth2(settings.User!, token), cancellationToken).ConfigureAwait(false);
            }
            else
            {
                await client.AuthenticateAsync(settings.User!, settings.Password!, cancellationToken).ConfigureAwait(false);
            }

            return client;
        }
        catch
        {
            client.Dispose();
            throw;
        }
    }

    private async Task<string> TokenAsync(CancellationToken cancellationToken)
    {
        var credential = tokens ?? throw new InvalidOperationException($"{MailboxSettings.Section}: Auth=OAuth2 needs a token credential, and none is registered");
        var token = await credential.GetTokenAsync(new TokenRequestContext([MailboxSettings.OutlookScope]), cancellationToken).ConfigureAwait(false);
        return token.Token;
    }
}
