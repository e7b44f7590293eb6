using Microsoft.Extensions.Hosting;

namespace MailHealth.Monitor.Availability;

/// <summary>The Functions worker's start-up of storage: in the background, so the worker starts and answers whatever storage does.</summary>
public sealed class StorageStartupService(StorageStartup startup) : BackgroundService
{
    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        // Let the host finish starting before the first attempt.
        await Task.Yield();
        try
        {
            await startup.InitializeWithRetriesAsync(stoppingToken).ConfigureAwait(false);
        }
        catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
        {
            // Stopping.
        }
    }
}
