using MailHealth.Monitor.Dkim;
using Microsoft.Azure.Functions.Worker;

namespace MailHealth.Functions.Triggers;

/// <summary>Daily: the DKIM selector discovery sweep of every target that names no selector (its first sweep happens at its first run).</summary>
public sealed class SweepDkimSelectors(DkimSweepService sweeps)
{
    public const string Name = nameof(SweepDkimSelectors);

    [Function(Name)]
    public async Task RunAsync([TimerTrigger(FunctionsSettings.DkimSweepSchedule)] TimerInfo timer, CancellationToken cancellationToken) =>
        await sweeps.SweepDueAsync(cancellationToken).ConfigureAwait(false);
}
