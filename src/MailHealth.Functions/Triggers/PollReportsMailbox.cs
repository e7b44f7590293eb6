using MailHealth.Monitor.ReceiverReports.Mailbox;
using Microsoft.Azure.Functions.Worker;

namespace MailHealth.Functions.Triggers;

/// <summary>Every 5 minutes: one poll of the reports mailbox (docs/reports.md, "The mailbox"); nothing when no mailbox is configured.</summary>
public sealed class PollReportsMailbox(MailboxPoller poller)
{
    public const string Name = nameof(PollReportsMailbox);

    [Function(Name)]
    public async Task RunAsync([TimerTrigger(FunctionsSettings.MailboxSchedule)] TimerInfo timer, CancellationToken cancellationToken) =>
        await poller.PollAsync(cancellationToken).ConfigureAwait(false);
}
