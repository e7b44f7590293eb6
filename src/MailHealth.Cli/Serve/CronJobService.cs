using MailHealth.Monitor.Scheduling;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace MailHealth.Cli.Serve;

/// <summary>
/// Runs a job at each occurrence of a cron schedule, on the host's <see cref="TimeProvider"/> (a
/// test advances a fake clock to tick it). A failed occurrence is logged and the next one comes as
/// usual; occurrences missed while a job ran long are skipped, not run in a burst.
/// </summary>
public sealed class CronJobService(
    string name,
    CronSchedule schedule,
    bool runOnStart,
    Func<CancellationToken, Task> job,
    TimeProvider time,
    ILogger<CronJobService> logger) : BackgroundService
{
    public string Name => name;

    /// <summary>The occurrence the job waits for now (null before the first wait): a test advances a fake clock to it.</summary>
    public DateTimeOffset? Next { get; private set; }

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Let the host finish starting (Kestrel listening) before the first run.
        await Task.Yield();
        if (runOnStart)
        {
            await RunOnceAsync(stoppingToken).ConfigureAwait(false);
        }

        while (!stoppingToken.IsCancellationRequested)
        {
            var now = time.GetUtcNow();
            var next = schedule.NextAfter(now);
            ServeLog.JobScheduled(logger, name, schedule.Expression, next);
            try
            {
                // The timer exists before Next is published, so advancing a fake clock to Next fires it.
                var wait = Task.Delay(next - now, time, stoppingToken);
                Next = next;
                await wait.ConfigureAwait(false);

                // A timer may fire a few milliseconds before the wall clock reaches the occurrence;
                // the job reads the clock (the scheduler's slot), so wait until it really is time.
                while (time.GetUtcNow() < next)
                {
                    await Task.Delay(next - time.GetUtcNow(), time, stoppingToken).ConfigureAwait(false);
                }
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }

            await RunOnceAsync(stoppingToken).ConfigureAwait(false);
        }
    }

    private async Task RunOnceAsync(CancellationToken stoppingToken)
    {
        try
        {
            await job(stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
        catch (Exception e)
        {
            ServeLog.JobFailed(logger, name, e);
        }
    }
}
