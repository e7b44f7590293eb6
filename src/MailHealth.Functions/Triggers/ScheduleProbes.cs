using MailHealth.Monitor.Scheduling;
using Microsoft.Azure.Functions.Worker;

namespace MailHealth.Functions.Triggers;

/// <summary>The schedule's tick: one probe request per enabled target for the current slot.</summary>
public sealed class ScheduleProbes(ProbeScheduler scheduler)
{
    public const string Name = nameof(ScheduleProbes);

    [Function(Name)]
    public async Task RunAsync([TimerTrigger(FunctionsSettings.ScheduleExpression)] TimerInfo timer, CancellationToken cancellationToken) =>
        await scheduler.ScheduleAsync(cancellationToken).ConfigureAwait(false);
}
