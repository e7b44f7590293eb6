using Microsoft.Extensions.Hosting;
using Microsoft.Extensions.Logging;

namespace MailHealth.Monitor.Availability;

/// <summary>
/// Writes what storage outages cost (<see cref="OutageRecorder"/>) soon after storage answers
/// again, in both hosts: it looks every <see cref="Pause"/>, and asks storage only when there is
/// something to write and nothing says storage is out.
/// </summary>
public sealed partial class OutageRecorderService(OutageRecorder recorder, TimeProvider time, ILogger<OutageRecorderService> logger) : BackgroundService
{
    public static readonly TimeSpan Pause = TimeSpan.FromSeconds(15);

    protected override async Task ExecuteAsync(CancellationToken stoppingToken)
    {
        while (!stoppingToken.IsCancellationRequested)
        {
            try
            {
                await Task.Delay(Pause, time, stoppingToken).ConfigureAwait(false);
                await recorder.RecordAsync(stoppingToken).ConfigureAwait(false);
            }
            catch (OperationCanceledException) when (stoppingToken.IsCancellationRequested)
            {
                return;
            }
            catch (Exception e)
            {
                // A background service that throws stops the host: this one only tries again.
                LogFailed(logger, e);
            }
        }
    }

    [LoggerMessage(EventId = 2213, Level = LogLevel.Error, Message = "Recording storage outages failed; trying again later")]
    private static partial void LogFailed(ILogger logger, Exception exception);
}
