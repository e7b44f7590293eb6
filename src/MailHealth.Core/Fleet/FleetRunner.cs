using System.Runtime.CompilerServices;
using System.Threading.Channels;
using MailHealth.Checks;
using MailHealth.Egress;
using MailHealth.Reports;
using MailHealth.Targets;
using Microsoft.Extensions.Options;

namespace MailHealth.Fleet;

/// <summary>
/// Checks many targets with a bound on how many run at once and hands each report over as soon
/// as it is ready, so that memory holds the reports in flight, never the fleet's. Each report is
/// judged for port-25 egress against the signals of the targets finished so far.
/// </summary>
public sealed class FleetRunner(DomainChecker checker, IOptions<FleetSettings> settings)
{
    /// <summary>Reports in completion order (not input order).</summary>
    /// <param name="targets">Read lazily, one at a time, as slots free up.</param>
    /// <param name="egress">The fleet's port-25 window; its verdict is applied to every report.</param>
    /// <param name="egressMinimumTargets">Targets needed before a blanket port-25 timeout is blamed on egress.</param>
    /// <param name="maxConcurrentTargets">Overrides <see cref="FleetSettings.MaxConcurrentTargets"/>.</param>
    /// <param name="cancellationToken">Stops starting targets and cancels those running.</param>
    public async IAsyncEnumerable<Report> RunAsync(
        IEnumerable<Target> targets,
        IEgressSignalWindow egress,
        int egressMinimumTargets = EgressAnalysis.DefaultMinimumTargets,
        int? maxConcurrentTargets = null,
        [EnumeratorCancellation] CancellationToken cancellationToken = default)
    {
        ArgumentNullException.ThrowIfNull(targets);
        ArgumentNullException.ThrowIfNull(egress);
        var width = maxConcurrentTargets ?? settings.Value.MaxConcurrentTargets;
        ArgumentOutOfRangeException.ThrowIfLessThan(width, 1, nameof(maxConcurrentTargets));

        // Bounded: a slow reader holds back new targets instead of letting reports pile up.
        var finished = Channel.CreateBounded<Report>(new BoundedChannelOptions(width) { SingleReader = true });
        using var stop = CancellationTokenSource.CreateLinkedTokenSource(cancellationToken);
        var producer = ProduceAsync(targets, egress, egressMinimumTargets, width, finished.Writer, stop.Token);
        try
        {
            await foreach (var report in finished.Reader.ReadAllAsync(cancellationToken).ConfigureAwait(false))
            {
                yield return report;
            }
        }
        finally
        {
            await stop.CancelAsync().ConfigureAwait(false);
            try
            {
                await producer.ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stop.IsCancellationRequested)
            {
                // The reader stopped early or was cancelled: the running targets were told to stop.
                // Any other failure of the producer (a bug, not a check result) propagates.
            }
        }
    }

    private async Task ProduceAsync(
        IEnumerable<Target> targets, IEgressSignalWindow egress, int egressMinimumTargets, int width, ChannelWriter<Report> finished, CancellationToken cancellationToken)
    {
        using var slots = new SemaphoreSlim(width, width);
        var running = new List<Task>();
        Exception? failure = null;
        try
        {
            foreach (var target in targets)
            {
                await slots.WaitAsync(cancellationToken).ConfigureAwait(false);
                running.RemoveAll(t => t.IsCompleted);
                running.Add(RunOneAsync(target));
            }

            await Task.WhenAll(running).ConfigureAwait(false);
        }
        catch (Exception e)
        {
            failure = e;
            throw;
        }
        finally
        {
            finished.TryComplete(failure);
        }

        async Task RunOneAsync(Target target)
        {
            try
            {
                var report = await checker.RunAsync(target, cancellationToken).ConfigureAwait(false);
                var signals = EgressAnalysis.SignalsOf(report);
                var fleet = await egress.RecordAndReadAsync(target.Id, signals, cancellationToken).ConfigureAwait(false);
                await finished.WriteAsync(EgressAnalysis.Apply(report, fleet, egressMinimumTargets), cancellationToken).ConfigureAwait(false);
            }
            finally
            {
                slots.Release();
            }
        }
    }
}
