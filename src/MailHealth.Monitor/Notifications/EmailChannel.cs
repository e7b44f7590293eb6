using System.Net.Sockets;
using MailHealth.Monitor.Tls;
using MailHealth.Network;
using MailHealth.Notifications;
using MailKit;
using MailKit.Net.Smtp;
using MailKit.Security;
using MimeKit;

namespace MailHealth.Monitor.Notifications;

/// <summary>
/// E-mail through a submission server with MailKit: 587 with STARTTLS required or 465 with
/// implicit TLS (RFC 8314), then AUTH, then one message. The server's certificate must chain to
/// the system's roots or to the channel's CaFile and match the host. SMTP 4xx, timeouts and
/// connection errors are retryable; 5xx, a refused login and an address the address policy
/// refuses (docs/address-policy.md) are permanent. Reasons carry reply codes and error kinds only:
/// never the password, never the server's words, which go with the result as its
/// <see cref="DeliveryResult.Answer"/> (the reply to DATA, or the refusal).
/// </summary>
internal sealed class EmailChannel : INotificationChannel
{
    private readonly ChannelOptions _options;
    private readonly TimeProvider _time;
    private readonly AddressPolicy _addressPolicy;
    private readonly ServerCertificateTrust _trust;
    private readonly MailboxAddress _from;
    private readonly IReadOnlyList<MailboxAddress> _to;

    public EmailChannel(string name, ChannelOptions options, TimeProvider time, AddressPolicy addressPolicy)
    {
        Name = name;
        _options = options;
        _time = time;
        _addressPolicy = addressPolicy;
        _trust = new ServerCertificateTrust(options.CaFile);

        _from = MailboxAddress.Parse(options.From!);
        _to = options.To.Select(MailboxAddress.Parse).ToList();
    }

    public string Name { get; }

    public ChannelType Type => ChannelType.Email;

    /// <summary>What <see cref="EmailSecurity.Auto"/> means: implicit TLS on 465, STARTTLS (required) elsewhere; never plain text.</summary>
    public static SecureSocketOptions SocketOptions(EmailSecurity security, int port) => security switch
    {
        EmailSecurity.SslOnConnect => SecureSocketOptions.SslOnConnect,
        EmailSecurity.StartTls => SecureSocketOptions.StartTls,
        _ => port == 465 ? SecureSocketOptions.SslOnConnect : SecureSocketOptions.StartTls,
    };

    public async Task<DeliveryResult> SendAsync(Notification notification, CancellationToken cancellationToken)
    {
        using var deadline = new CancellationTokenSource(_options.Timeout, _time);
        using var linked = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken, deadline.Token);
        var message = EmailMessage.Build(notification, _from, _to, _time.GetUtcNow());
        using var client = new SmtpClient
        {
            Timeout = (int)_options.Timeout.TotalMilliseconds,
            ServerCertificateValidationCallback = _trust.Validate,
            CheckCertificateRevocation = false,
        };
        var stage = "connect";
        try
        {
            // Our own connect, through the address policy; MailKit talks over the socket.
            using var socket = await GuardedConnector.ConnectAsync(_addressPolicy, _options.Host!, _options.Port, GuardedConnector.SystemResolveAsync, linked.Token);
            await client.ConnectAsync(socket, _options.Host!, _options.Port, SocketOptions(_options.Security, _options.Port), linked.Token);
            stage = "AUTH";
            await client.AuthenticateAsync(_options.UserName!, _options.Password!, linked.Token);
            stage = "send";
            // The reply to the end of DATA (RFC 5321 section 4.1.1.4), after its 250.
            var accepted = await client.SendAsync(message, linked.Token);
            await client.DisconnectAsync(quit: true, linked.Token);
            return DeliveryResult.Delivered.WithAnswer($"250 {accepted}");
        }
        catch (OperationCanceledException) when (!cancellationToken.IsCancellationRequested)
        {
            return DeliveryResult.RetryableFailure($"no answer within {_options.Timeout.TotalSeconds:0.#} s ({stage})");
        }
        catch (AddressRefusedException e)
        {
            return DeliveryResult.NotAllowed(e);
        }
        catch (AuthenticationException e)
        {
            return DeliveryResult.PermanentFailure("the server refused the login (AUTH failed): check UserName and Password").WithAnswer(e.Message);
        }
        catch (SmtpCommandException e)
        {
            var code = (int)e.StatusCode;
            var reason = $"the server refused {stage} ({e.ErrorCode}, SMTP {code})";
            var result = code is >= 400 and <= 499 ? DeliveryResult.RetryableFailure(reason) : DeliveryResult.PermanentFailure(reason);
            return result.WithAnswer($"{code} {e.Message}");
        }
        catch (SslHandshakeException)
        {
            // A certificate problem may be fixed on the server's side before the last retry.
            return DeliveryResult.RetryableFailure($"TLS handshake failed ({stage}): certificate not trusted or no common protocol");
        }
        catch (NotSupportedException)
        {
            return DeliveryResult.PermanentFailure($"the server does not offer what {stage} needs (STARTTLS or an AUTH mechanism)");
        }
        catch (Exception e) when (e is SmtpProtocolException or IOException or SocketException or TimeoutException or ServiceNotConnectedException)
        {
            var kind = e is SocketException socket ? socket.SocketErrorCode.ToString() : e.GetType().Name;
            return DeliveryResult.RetryableFailure($"connection failed ({stage}, {kind})");
        }
    }
}
