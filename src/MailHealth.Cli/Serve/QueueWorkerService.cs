using MailHealth.Monitor.Queues;
using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace MailHealth.Cli.Serve;

/// <summary>
/// Drains the probe, notification and report queues in a loop, pausing briefly when they are empty. It
/// takes messages from the shared storage queues, so several <c>serve</c> processes on one account
/// share the work. On stop it takes nothing more and gives the messages in hand
/// <see cref="ServeSettings.ShutdownTimeout"/>; what is still running then is abandoned: not
/// deleted, so it is retried after the visibility timeout and nothing stored is lost.
/// </summary>
public sealed class QueueWorkerService(
    QueueWorker worker,
    WorkSignal signal,
    IOptions<ServeSettings> settings,
    TimeProvider time,
    ILogger<QueueWorkerService> logger) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        await Task.Yield();
        var shutdownTimeout = settings.Value.ShutdownTimeout;
        var pause = settings.Value.WorkerIdlePause;
        // The abandon deadline runs on the injected clock, and belongs to the source itself: a timer
        // of its own could fire after the source was disposed (a stop that came while the loop was
        // leaving), and cancelling a disposed source crashed the process.
        using var abandon = new CancellationTokenSource(Timeout.InfiniteTimeSpan, time);
        await using var onStop = stoppingToken.Register(() =>
        {
            ServeLog.WorkerStopping(logger, shutdownTimeout);
            abandon.CancelAfter(shutdownTimeout);
        }).ConfigureAwait(false);

        while (!stoppingToken.IsCancellationRequested)
        {
            int handled;
            try
            {
                handled = await worker.DrainAsync(stoppingToken, abandon.Token).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                break;
            }
            catch (Exception e)
            {
                ServeLog.WorkerFailed(logger, pause, e);
                handled = 0;
            }

            if (handled == 0)
            {
                try
                {
                    await signal.WaitAsync(pause, time, stoppingToken).ConfigureAwait(false);
                }
                catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
                {
                    break;
                }
            }
        }

        if (abandon.IsCancellationRequested)
        {
            ServeLog.WorkerAbandoned(logger, shutdownTimeout);
        }
    }
}
