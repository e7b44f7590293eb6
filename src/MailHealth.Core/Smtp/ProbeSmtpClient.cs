using MailKit;
using MailKit.Net.Smtp;

namespace MailHealth.Smtp;

/// <summary>MailKit's client with its raw-command entry opened, for the relay test's MAIL, RCPT and RSET.</summary>
internal sealed class ProbeSmtpClient(IProtocolLogger logger) : SmtpClient(logger)
{
    public Task<SmtpResponse> CommandAsync(string command, CancellationToken cancellationToken) =>
        SendCommandAsync(command, cancellationToken);
}
