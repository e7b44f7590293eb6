using System.CommandLine;
using System.Net.Sockets;
using MailHealth.Cli.Rendering;
using MailHealth.Composition;
using MailHealth.Monitor.ReceiverReports.Mailbox;
using MailHealth.Network;
using MailHealth.Storage.Availability;
using MailKit;
using MailKit.Net.Imap;
using MailKit.Security;
using Microsoft.Extensions.DependencyInjection;

namespace MailHealth.Cli.Commands;

/// <summary>
/// <c>mailhealth reports poll [--config FILE] [--no-naming]</c>: one poll of the reports mailbox
/// now, as the hosts' schedule runs it (<see cref="MailboxPoller"/>), each stored report's sources
/// named after its commit (unless <c>--no-naming</c>), with the mailbox, storage, resolver and
/// allowed networks of the config file and the environment, as <c>serve</c> reads them. Exit 0 when the
/// mailbox was read (or another poll holds it), 2 on bad usage (no mailbox configured, a bad
/// setting), 3 when storage failed, 4 when the mailbox could not be read.
/// </summary>
internal static class ReportsPollCommand
{
    public static Command Create(TextWriter output, TextWriter error, TimeProvider time)
    {
        var config = CommonOptions.Config();
        var noNaming = CommonOptions.NoNaming();
        var command = new Command("poll", "Read the reports mailbox once now, as the schedule does, and name the stored reports' sources. Exit 0: read; 2: bad usage or no mailbox configured; 3: storage failed; 4: the mailbox could not be read.")
        {
            config, noNaming,
        };

        command.SetAction(async (parse, cancellationToken) =>
        {
            await using var services = await ReportsImportCommand.ComposeAsync(
                parse.GetValue(config), !parse.GetValue(noNaming), time, cancellationToken, (s, configuration) => s.AddMailHealthChecks(configuration)).ConfigureAwait(false);
            MailboxPoll poll;
            try
            {
                await ReportsImportCommand.InitializeStorageAsync(services, cancellationToken).ConfigureAwait(false);
                poll = await services.GetRequiredService<MailboxPoller>().PollAsync(cancellationToken).ConfigureAwait(false);
            }
            catch (StorageUnavailableException e)
            {
                await error.WriteLineAsync($"mailhealth: storage failed: {e.Message}; what was stored stays, and the next poll finishes the rest").ConfigureAwait(false);
                return ExitCodes.StorageUnavailable;
            }
            catch (Exception e) when (e is AddressRefusedException or SocketException or IOException or SslHandshakeException or AuthenticationException
                or NotSupportedException or ImapCommandException or ImapProtocolException or FolderNotFoundException or TimeoutException)
            {
                await error.WriteLineAsync($"mailhealth: the mailbox could not be read ({e.GetType().Name}): {e.Message}").ConfigureAwait(false);
                return ExitCodes.MailboxUnavailable;
            }

            switch (poll.State)
            {
                case MailboxPollState.Off:
                    await error.WriteLineAsync("mailhealth: no mailbox is configured (MailHealth:Mailbox:Host; docs/reports.md, \"The mailbox\")").ConfigureAwait(false);
                    return ExitCodes.Usage;
                case MailboxPollState.Busy:
                    await output.WriteLineAsync("another poll holds the mailbox; nothing read").ConfigureAwait(false);
                    return ExitCodes.Ok;
                default:
                    await SenderNamingText.WriteAsync(output, services).ConfigureAwait(false);
                    await output.WriteLineAsync(
                        $"{poll.Processed} message(s) to Processed ({poll.Duplicates} duplicate), {poll.Invalid} to Invalid, {poll.Remaining} left for the next poll"
                        + (poll.Reread ? "; the folder's UIDVALIDITY changed: it was read again from its start" : string.Empty)).ConfigureAwait(false);
                    return ExitCodes.Ok;
            }
        });
        return command;
    }
}
